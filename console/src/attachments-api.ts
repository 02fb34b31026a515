import type { Message, Problem } from '../../protocol/src/index';
import { ApiError } from './api';

/** Progress of one upload: bytes sent of the total. */
export type UploadProgress = (sent: number, total: number) => void;

/** Uploads a file for an agent; resolves with the message that carries it. */
export type UploadAttachment = (conversationId: string, file: File, clientId: string, onProgress?: UploadProgress) => Promise<Message>;

/** The server's words for a failed upload, or the status line when it sent none. */
function errorOf(xhr: XMLHttpRequest): ApiError {
  let problem: Partial<Problem> = {};
  try {
    problem = JSON.parse(xhr.responseText) as Partial<Problem>;
  } catch {
    // not JSON: the status line stands in
  }
  return new ApiError(xhr.status, problem.detail || problem.title || `Upload failed (${xhr.status})`, problem.code ?? 'http_error');
}

/**
 * `POST /api/v1/conversations/:id/attachments` with the raw bytes (the server
 * checks their type; the name travels percent-encoded in `X-File-Name`). An
 * XMLHttpRequest rather than fetch, for upload progress. The same client id
 * sent twice stores the file once.
 */
export function uploadAttachment(base = '/api/v1'): UploadAttachment {
  return (conversationId, file, clientId, onProgress) =>
    new Promise<Message>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base}/conversations/${encodeURIComponent(conversationId)}/attachments?clientId=${encodeURIComponent(clientId)}`);
      xhr.withCredentials = true;
      xhr.setRequestHeader('X-File-Name', encodeURIComponent(file.name));
      xhr.setRequestHeader('Content-Type', 'application/octet-stream');
      xhr.setRequestHeader('Accept', 'application/json');
      xhr.upload.onprogress = (e) => onProgress?.(e.loaded, e.lengthComputable ? e.total : file.size);
      xhr.onload = () => {
        if (xhr.status >= 200 && xhr.status < 300) {
          try {
            resolve((JSON.parse(xhr.responseText) as { message: Message }).message);
          } catch {
            reject(new ApiError(xhr.status, 'The server sent an unreadable answer.', 'http_error'));
          }
        } else {
          reject(errorOf(xhr));
        }
      };
      xhr.onerror = () => reject(new ApiError(0, 'Cannot reach the server. Check your connection and try again.', 'network_error'));
      xhr.send(file);
    });
}

/** "1.2 MB", "340 KB", "12 B". */
export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, '')} MB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${bytes} B`;
}
