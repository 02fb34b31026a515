import type { Kysely, Migration } from 'kysely';

/** Teams, members by email, agents' languages, capacity and presence, and each conversation's routing. */
export const routing: Migration = {
  async up(db: Kysely<any>) {
    await db.schema
      .createTable('teams')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('nobody_online_since', 'text')
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema
      .createTable('team_members')
      .addColumn('team_id', 'text', (c) => c.notNull().references('teams.id').onDelete('cascade'))
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('source', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('team_members_pk', ['team_id', 'email'])
      .execute();
    await db.schema.createIndex('team_members_email').on('team_members').column('email').execute();

    for (const [name, type] of [
      ['languages', 'text'],
      ['capacity', 'integer'],
      ['presence', 'text'],
      ['presence_manual', 'integer'],
      ['presence_changed_at', 'text'],
      ['tabs_gone_at', 'text'],
      ['last_seen_at', 'text'],
      ['last_assigned_at', 'text'],
    ] as const) {
      await db.schema.alterTable('agents').addColumn(name, type).execute();
    }

    for (const [name, type] of [
      ['team_id', 'text'],
      ['priority', 'integer'],
      ['queued_at', 'text'],
      ['assigned_at', 'text'],
      ['routing_rule', 'text'],
      ['routing_reason', 'text'],
    ] as const) {
      await db.schema.alterTable('conversations').addColumn(name, type).execute();
    }
    await db.schema.createIndex('conversations_queue').on('conversations').columns(['team_id', 'status', 'assignee_id']).execute();
    await db.schema.createIndex('conversations_assignee').on('conversations').columns(['assignee_id', 'status']).execute();

    for (const name of ['attributes', 'labels']) await db.schema.alterTable('contacts').addColumn(name, 'text').execute();

    await db.schema
      .createTable('routing_events')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('agent_id', 'text')
      .addColumn('team_id', 'text')
      .addColumn('actor_id', 'text')
      .addColumn('note', 'text')
      .addColumn('load_after', 'integer')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('routing_events_conversation').on('routing_events').column('conversation_id').execute();
  },
};
