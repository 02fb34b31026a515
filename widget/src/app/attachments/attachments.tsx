import { Component, type FunctionComponent } from 'preact';
import type { Attachment } from '../../../../protocol/src/console';
import type { Message, Problem } from '../../../../protocol/src/index';

/** Where the visitor's files go and who the visitor is: read at the moment of use. */
export type FilesAuth = () => { origin: string; token?: string | undefined; conversationId?: string | undefined };

/** What the picker offers; the server still checks every file's bytes. */
const ACCEPT = 'image/png,image/jpeg,image/gif,image/webp,application/pdf';

/** Styles of this chunk, added to the widget's shadow root on first use (the main stylesheet stays lean). */
const CSS =
  '.att-img{display:block;width:200px;max-width:100%;height:150px;object-fit:contain;overflow:hidden;border-radius:8px;background:#fff}' +
  '.att-file{display:flex;gap:8px;align-items:center;font:inherit;color:inherit;background:none;border:0;padding:0;cursor:pointer;text-align:start}' +
  '.att-file b{display:grid;place-items:center;width:36px;height:36px;border-radius:6px;background:#b91c1c;color:#fff;font-size:10px;flex:none}' +
  '.att-file span{overflow-wrap:anywhere}.att-file small{display:block;opacity:.8}' +
  '.att-status{margin:0;padding:4px 12px;font-size:13px}.att-status.error{color:#b91c1c}';

const styled = new WeakSet<Node>();
function addStyles(node: Node): void {
  const root = node.getRootNode() as ShadowRoot | Document;
  if (styled.has(root)) return;
  styled.add(root);
  const style = document.createElement('style');
  style.textContent = CSS;
  (root instanceof Document ? root.head : root).append(style);
}

const size = (n: number): string => (n >= 1048576 ? `${(n / 1048576).toFixed(1)} MB` : n >= 1024 ? `${Math.round(n / 1024)} KB` : `${n} B`);

/** Fetches a file with the visitor's token (a header, so not by a plain <img src>). */
async function fetchFile(a: Attachment, auth: FilesAuth): Promise<Blob> {
  const { origin, token } = auth();
  const res = await fetch(origin + a.url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return res.blob();
}

/** The status line above the composer: progress, then a refusal in the server's words (as text). */
function status(button: HTMLElement, text: string, error = false): void {
  const form = button.closest('form');
  if (!form) return;
  let line = form.previousElementSibling as HTMLElement | null;
  if (!line?.classList.contains('att-status')) {
    line = document.createElement('p');
    form.before(line);
  }
  line.className = `att-status${error ? ' error' : ''}`;
  line.setAttribute('role', error ? 'alert' : 'status');
  line.textContent = text;
  if (!text) line.remove();
}

/** Uploads one file as the visitor; resolves with the message that carries it. */
export function upload(file: File, auth: FilesAuth, onProgress: (percent: number) => void): Promise<Message> {
  const { origin, token, conversationId } = auth();
  return new Promise((resolve, reject) => {
    if (!token || !conversationId) return reject(new Error('the chat has not started'));
    const xhr = new XMLHttpRequest();
    const clientId = crypto.randomUUID?.() ?? `${Date.now()}${Math.random()}`.replace('.', '');
    xhr.open('POST', `${origin}/api/v1/visitor/conversations/${encodeURIComponent(conversationId)}/attachments?clientId=${clientId}`);
    xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => e.lengthComputable && onProgress(Math.round((e.loaded / e.total) * 100));
    xhr.onload = () => {
      let body: Partial<Problem> & { message?: Message } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // not JSON: the status line stands in
      }
      if (xhr.status < 300 && body.message) resolve(body.message);
      else reject(new Error(body.detail || body.title || `HTTP ${xhr.status}`));
    };
    xhr.onerror = () => reject(new Error('the server cannot be reached'));
    xhr.send(file);
  });
}

/**
 * Asks the visitor for a file and uploads it, showing progress and, on a
 * refusal (too large, a type not taken), the server's reason. The message
 * that carries the file arrives over the chat's socket like any other.
 */
export function pick(button: HTMLElement, auth: FilesAuth): void {
  addStyles(button);
  const input = document.createElement('input');
  input.type = 'file';
  input.accept = ACCEPT;
  input.onchange = () => {
    const file = input.files?.[0];
    if (!file) return;
    status(button, `Uploading ${file.name}…`);
    upload(file, auth, (p) => status(button, `Uploading ${file.name}… ${p}%`)).then(
      () => status(button, ''),
      (e: Error) => status(button, `Could not attach ${file.name}: ${e.message}`, true),
    );
  };
  input.click();
}

interface ViewProps {
  a: Attachment;
  auth: FilesAuth;
}

/**
 * A message's file in the widget: an image is fetched with the visitor's token
 * and shown from a blob: URL (revoked when the view goes), opening the full
 * image on click; any other file is a chip that downloads it on click.
 */
export class AttachmentView extends Component<ViewProps, { url?: string; failed?: boolean }> {
  private url: string | undefined;
  private gone = false;

  override componentDidMount(): void {
    const log = (this.base as Element | null)?.closest('.log');
    if (this.base) addStyles(this.base);
    // the box appeared after the log scrolled to its end: stay at the end when the visitor was there
    if (log && log.scrollHeight - log.scrollTop - log.clientHeight < 240) log.scrollTop = log.scrollHeight;
    if (!this.props.a.thumbnailUrl) return;
    fetchFile(this.props.a, this.props.auth).then(
      (blob) => {
        if (this.gone) return;
        this.url = URL.createObjectURL(blob);
        this.setState({ url: this.url });
      },
      () => this.setState({ failed: true }),
    );
  }

  override componentWillUnmount(): void {
    this.gone = true;
    if (this.url) URL.revokeObjectURL(this.url);
  }

  private download = async (): Promise<void> => {
    const url = URL.createObjectURL(await fetchFile(this.props.a, this.props.auth));
    const link = document.createElement('a');
    link.href = url;
    link.download = this.props.a.name;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  };

  override render({ a }: ViewProps, { url, failed }: this['state']) {
    if (a.thumbnailUrl && !failed) {
      return url ? (
        <a href={url} target="_blank" rel="noopener">
          <img class="att-img" src={url} alt={a.name} />
        </a>
      ) : (
        <span class="att-img">{a.name}</span>
      );
    }
    return (
      <button type="button" class="att-file" onClick={() => void this.download().catch(() => this.setState({ failed: true }))}>
        <b aria-hidden="true">{(a.type.split('/')[1] ?? 'file').toUpperCase()}</b>
        <span>
          <bdi>{a.name}</bdi>
          <small>{size(a.size)}</small>
        </span>
      </button>
    );
  }
}

/** The type of {@link AttachmentView}, for the main chunk that loads it. */
export type FileView = FunctionComponent<ViewProps> | typeof AttachmentView;
