import { Router } from 'express';
import type { AgentIdentity, AuthService } from '../services/auth-service';
import { type HoursSource, ReportService, businessHoursZones, reportTable, toCsv } from '../services/reports/index';
import type { Db } from '../store/db';
import { requireAgent } from './auth-routes';

/**
 * `GET /reports/<name>?from=&to=&site=&groupBy=&team=&inquiryType=&language=&agent=&target=` as JSON,
 * and `GET /reports/<name>.csv?…` as CSV (RFC 4180, UTF-8, a header row). Any signed-in agent:
 * admins see everything, an agent only the conversations assigned to them. Days are counted in
 * the site's zone: its business hours' (`hours`), else UTC, unless `timeZone=` names one.
 */
export function reportRoutes(deps: { auth: AuthService; db: Db; hours: HoursSource; now?: () => Date }): Router {
  const { auth } = deps;
  const reports = new ReportService(deps.db, businessHoursZones(deps.hours), deps.now);
  const router = Router();
  router.get('/reports/:name', requireAgent(auth), async (req, res) => {
    const requested = String(req.params.name);
    const csv = requested.endsWith('.csv');
    const name = csv ? requested.slice(0, -4) : requested;
    const { id, role } = req.agent as AgentIdentity;
    const report = await reports.run(name, req.query, { id, role });
    res.setHeader('Cache-Control', 'no-store');
    if (!csv) {
      res.json(report);
      return;
    }
    const file = `parley-${name}-${report.range.from}-to-${report.range.to}.csv`;
    res.setHeader('Content-Disposition', `attachment; filename="${file}"`);
    res.type('text/csv; charset=utf-8; header=present').send(toCsv(reportTable(report)));
  });
  return router;
}
