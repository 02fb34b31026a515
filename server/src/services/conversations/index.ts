import { Limits } from '../../../../protocol/src/index';
import type { Config } from '../../config/schema';
import type { Db } from '../../store/db';
import type { Clock } from '../clock';
import { InboxService } from '../inbox/inbox-service';
import { ReadMarks } from '../inbox/read-marks';
import type { Notifier } from '../notifier';
import type { SearchIndex } from '../search/search-index';
import { SqliteSearchIndex } from '../search/sqlite-search';
import { PostgresSearchIndex } from '../search/pg-search';
import { isPostgres } from '../../store/dialect';
import { ContactProfiles } from './contact-profile';
import { ConversationDetails } from './details';
import { LabelsService } from './labels';
import { NotesService } from './notes';
import { Timeline } from './timeline';

/** Everything the agents' console adds around plain chat. */
export interface ConsoleServices {
  inbox: InboxService;
  reads: ReadMarks;
  search: SearchIndex;
  notes: NotesService;
  timeline: Timeline;
  labels: LabelsService;
  profiles: ContactProfiles;
  details: ConversationDetails;
  notifier: Notifier;
}

/** Builds the console's services and seeds the label catalogue from the config. */
export async function createConsoleServices(deps: { db: Db; clock: Clock; notifier: Notifier; config: Config }): Promise<ConsoleServices> {
  const { db, clock, notifier } = deps;
  const notes = new NotesService(db, notifier, clock);
  const timeline = new Timeline(db, notifier, clock);
  const labels = new LabelsService(db, clock, timeline);
  await labels.seed(deps.config.labels ?? []);
  const profiles = new ContactProfiles(db, clock);
  return {
    inbox: new InboxService(db),
    reads: new ReadMarks(db, notifier, clock),
    search: isPostgres(db) ? new PostgresSearchIndex(db) : new SqliteSearchIndex(db),
    notes,
    timeline,
    labels,
    profiles,
    details: new ConversationDetails(db, notes, timeline, profiles, Limits.syncPage),
    notifier,
  };
}
