import { type Kysely, type Migration } from 'kysely';

/**
 * Conversations that go on after they close: follow-ups scheduled for the contact's
 * daytime (stored, so a restart sends each exactly once), the contact's opt-out of
 * follow-ups with its history kept as proof, what an email about unseen agent messages
 * has covered, and the durable outbox emails are delivered from.
 */
export const followUpsMigration: Migration = {
  async up(db: Kysely<any>) {
    // the contact's current choice; the history (who, when, how) is in follow_up_consents
    await db.schema.alterTable('contacts').addColumn('follow_ups_opted_out_at', 'text').execute();
    await db.schema.alterTable('contacts').addColumn('follow_ups_opted_out_via', 'text').execute();
    await db.schema
      .createTable('follow_up_consents')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('contact_id', 'text', (c) => c.notNull().references('contacts.id'))
      /** 'opt_out' or 'opt_in' */
      .addColumn('action', 'text', (c) => c.notNull())
      /** 'widget', 'email' (the unsubscribe link) or 'agent' */
      .addColumn('via', 'text', (c) => c.notNull())
      .addColumn('detail', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('follow_up_consents_contact').on('follow_up_consents').columns(['contact_id', 'created_at']).execute();

    // the seq of the latest agent message, since when agent messages wait unseen (null once seen or emailed),
    // and the highest seq an email has covered
    await db.schema.alterTable('conversations').addColumn('last_agent_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('conversations').addColumn('unseen_since', 'text').execute();
    await db.schema.alterTable('conversations').addColumn('emailed_seq', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('conversations_unseen_since').on('conversations').column('unseen_since').execute();

    await db.schema
      .createTable('scheduled_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('conversation_id', 'text', (c) => c.notNull().references('conversations.id'))
      .addColumn('agent_id', 'text', (c) => c.notNull())
      .addColumn('agent_name', 'text', (c) => c.notNull())
      /** the client id the message is sent with: a retry after a crash finds the message already stored */
      .addColumn('client_id', 'text', (c) => c.notNull())
      .addColumn('text', 'text', (c) => c.notNull())
      .addColumn('send_at', 'text', (c) => c.notNull())
      /** 'scheduled', 'sending', 'sent', 'cancelled' or 'failed' */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('message_id', 'text')
      .addColumn('error', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .addUniqueConstraint('scheduled_messages_client', ['conversation_id', 'client_id'])
      .execute();
    await db.schema.createIndex('scheduled_messages_due').on('scheduled_messages').columns(['status', 'send_at']).execute();
    await db.schema.createIndex('scheduled_messages_conversation').on('scheduled_messages').columns(['conversation_id', 'send_at']).execute();

    await db.schema
      .createTable('email_outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      /** 'unseen' (agent messages the visitor has not seen) or 'transcript' */
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('site_id', 'text', (c) => c.notNull())
      .addColumn('contact_id', 'text', (c) => c.notNull())
      .addColumn('conversation_id', 'text', (c) => c.notNull())
      .addColumn('to_address', 'text', (c) => c.notNull())
      .addColumn('language', 'text', (c) => c.notNull())
      /** the messages it covers: seq in (from_seq, to_seq] */
      .addColumn('from_seq', 'integer', (c) => c.notNull())
      .addColumn('to_seq', 'integer', (c) => c.notNull())
      /** 'pending', 'sending', 'sent', 'cancelled' or 'failed' (gave up) */
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('last_error', 'text')
      .addColumn('message_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('sent_at', 'text')
      .execute();
    await db.schema.createIndex('email_outbox_due').on('email_outbox').columns(['status', 'next_attempt_at']).execute();
    await db.schema.createIndex('email_outbox_conversation').on('email_outbox').columns(['conversation_id', 'kind', 'created_at']).execute();
  },
};
