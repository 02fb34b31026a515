/** A site as the admins' list shows it (`GET /api/v1/admin/sites`). */
export interface SiteSummary {
  id: string;
  name: string;
  /** `database` once an admin saved its survey; `file` while the config file's applies. */
  source: 'file' | 'database';
}

/**
 * A site's survey as the editor loads it (`GET /api/v1/admin/sites/:siteId/survey`):
 * the value in force, the config file's, and who saved the edit. `V` is the
 * editable part of a site as each side types it.
 */
export interface SurveySetting<V> {
  siteId: string;
  name: string;
  source: 'file' | 'database';
  /** The value in force. */
  value: V;
  /** The config file's value, to compare with or go back to. */
  file: V;
  updatedAt: string | null;
  updatedBy: string | null;
  /** Colour pairs of the value in force below WCAG AA, each starting with its path (`theme.onPrimary: …`). */
  warnings: string[];
}
