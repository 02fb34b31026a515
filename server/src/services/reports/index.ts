export { type Cell, type Table, csvCell, toCsv } from './csv';
export { GROUP_BYS, MAX_DAYS, DEFAULT_TARGET_SECONDS, type GroupBy, type ReportQuery, ReportQuerySchema } from './query';
export { REPORT_NAMES, type Report, type ReportName, ReportService, type Viewer, type ZoneOf } from './report-service';
export { reportTable } from './tables';
export { businessHoursZones, type HoursSource } from './zones';
