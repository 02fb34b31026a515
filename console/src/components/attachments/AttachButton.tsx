import { useSignal } from '@preact/signals';
import type { JSX } from 'preact';
import { useRef } from 'preact/hooks';
import { type UploadAttachment, uploadAttachment } from '../../attachments-api';
import { newClientId } from '../../models/conversation';
import { Isolated } from '../Isolated';

/** Props of {@link AttachButton}. */
export interface AttachButtonProps {
  conversationId: string;
  disabled?: boolean;
  /** The upload call; the console's HTTP client unless a test gives another. */
  upload?: UploadAttachment;
}

const defaultUpload = uploadAttachment();

/** What the picker offers; the server still checks every file's bytes. */
export const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';

/**
 * A paperclip button ("Attach a file") with a hidden file input: the chosen
 * file uploads at once, with its progress, and a refusal (too large, a type
 * the server does not take) is shown in the server's words. The message that
 * carries the file arrives like any other.
 */
export function AttachButton({ conversationId, disabled = false, upload = defaultUpload }: AttachButtonProps): JSX.Element {
  const input = useRef<HTMLInputElement>(null);
  const progress = useSignal<number | null>(null);
  const error = useSignal<{ name: string; message: string } | null>(null);
  const busy = progress.value !== null;

  async function send(file: File): Promise<void> {
    error.value = null;
    progress.value = 0;
    try {
      await upload(conversationId, file, newClientId(), (sent, total) => {
        progress.value = total > 0 ? Math.round((sent / total) * 100) : 0;
      });
    } catch (e) {
      error.value = { name: file.name, message: (e as Error).message };
    } finally {
      progress.value = null;
    }
  }

  return (
    <div class="attach">
      <button
        type="button"
        class="button attach-button"
        aria-label="Attach a file"
        title="Attach an image or PDF"
        disabled={disabled || busy}
        onClick={() => input.current?.click()}
      >
        <svg aria-hidden="true" viewBox="0 0 24 24" width="18" height="18" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round">
          <path d="M21 11.5l-8.6 8.6a5.5 5.5 0 01-7.8-7.8l8.6-8.6a3.7 3.7 0 015.2 5.2l-8.6 8.6a1.8 1.8 0 01-2.6-2.6l8-8" />
        </svg>
      </button>
      <input
        ref={input}
        type="file"
        class="visually-hidden"
        tabIndex={-1}
        aria-hidden="true"
        accept={ACCEPT}
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) void send(file);
        }}
      />
      {busy && (
        <progress class="attach-progress" max={100} value={progress.value ?? 0} aria-label="Uploading the file">
          {progress.value}%
        </progress>
      )}
      {error.value && (
        <p class="attach-error" role="alert">
          Could not attach “<Isolated text={error.value.name} />”: {error.value.message}
        </p>
      )}
    </div>
  );
}
