import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Where attachment bytes live, by key. One interface, two implementations
 * (a data directory; memory for `:memory:` stores and tests); object storage
 * can be a third. Keys are the server's own ids, never a visitor's file name.
 */
export interface AttachmentStorage {
  /** Stores the bytes under a key, replacing any before. Resolves once they are durable. */
  put(key: string, bytes: Uint8Array): Promise<void>;
  /** The bytes under a key, or null when there are none. */
  get(key: string): Promise<Buffer | null>;
  /** Removes a key; removing a missing key is not an error. */
  delete(key: string): Promise<void>;
}

const KEY = /^[A-Za-z0-9][A-Za-z0-9_-]{0,127}$/;

/** Refuses a key that could escape the storage (`..`, slashes) or is not one of ours. */
function checkKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`invalid attachment key ${JSON.stringify(key)}`);
  return key;
}

/** Attachment bytes kept in this process's memory: for `:memory:` stores and tests. */
export class MemoryAttachmentStorage implements AttachmentStorage {
  private readonly files = new Map<string, Buffer>();

  async put(key: string, bytes: Uint8Array): Promise<void> {
    this.files.set(checkKey(key), Buffer.from(bytes));
  }

  async get(key: string): Promise<Buffer | null> {
    return this.files.get(checkKey(key)) ?? null;
  }

  async delete(key: string): Promise<void> {
    this.files.delete(checkKey(key));
  }
}

/** Attachment bytes as files under `<dataDir>/attachments`, written to a temporary name then renamed. */
export class DirectoryAttachmentStorage implements AttachmentStorage {
  readonly dir: string;

  constructor(dataDir: string) {
    this.dir = join(dataDir, 'attachments');
  }

  async put(key: string, bytes: Uint8Array): Promise<void> {
    const file = join(this.dir, checkKey(key));
    await mkdir(this.dir, { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, bytes, { flush: true });
    await rename(temporary, file);
  }

  async get(key: string): Promise<Buffer | null> {
    try {
      return await readFile(join(this.dir, checkKey(key)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(join(this.dir, checkKey(key)), { force: true });
  }
}

/** The storage that fits a store's data directory: memory for `:memory:`, files otherwise. */
export function storageFor(dataDir: string): AttachmentStorage {
  return dataDir === ':memory:' ? new MemoryAttachmentStorage() : new DirectoryAttachmentStorage(dataDir);
}
