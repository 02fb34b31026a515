import { Component } from 'preact';
import type { Attachment } from '../../../../protocol/src/console';
import type { FileView, FilesAuth } from './attachments';

/** The attachment chunk, fetched the first time a file is attached or shown (the chat's budget holds without it). */
const load = () => import('./attachments');

/** A message's file: its name until the chunk has loaded, then its view. */
export class LazyAttachment extends Component<{ a: Attachment; auth: FilesAuth }, { V?: FileView }> {
  override componentDidMount(): void {
    void load().then((m) => this.setState({ V: m.AttachmentView }));
  }

  override render({ a, auth }: this['props'], { V }: this['state']) {
    return V ? <V a={a} auth={auth} /> : a.name;
  }
}

/** The paperclip: loads the chunk, which asks for a file and uploads it. */
export const AttachButton = ({ label, auth }: { label: string; auth: FilesAuth }) => (
  <button
    type="button"
    class="send"
    aria-label={label}
    onClick={(e) => {
      const button = e.currentTarget;
      void load().then((m) => m.pick(button, auth));
    }}
  >
    {/* a paperclip */}
    <svg width="18" height="18" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" aria-hidden="true">
      <path d="M9 7v9a3 3 0 006 0V5a5 5 0 00-10 0v11a7 7 0 0014 0V7" />
    </svg>
  </button>
);
