import type { ZoneOf } from './report-service';

/** Where a site's business hours live: inline, or the name of a shared schedule (see config/auto-replies.ts). */
export interface HoursSource {
  site(siteId: string): { hours?: string | { timeZone: string } | undefined };
  global(): { schedules: Record<string, { timeZone: string } | undefined> };
}

/** A site's zone is its business hours' zone (the settings in force, an admin's edit included); none without hours. */
export function businessHoursZones(settings: HoursSource): ZoneOf {
  return (siteId) => {
    const hours = settings.site(siteId).hours;
    const schedule = typeof hours === 'string' ? settings.global().schedules[hours] : hours;
    return schedule?.timeZone ?? null;
  };
}
