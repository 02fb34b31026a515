import type { JSX } from 'preact';
import type { Attachment } from '../../../../protocol/src/index';
import { formatSize } from '../../attachments-api';
import { Isolated } from '../Isolated';

/**
 * A message's file: an image as a thumbnail that opens the full file, any
 * other file (a PDF) as a chip with its name and size. The name is text,
 * isolated, with any direction controls shown.
 */
export function AttachmentView({ attachment: a }: { attachment: Attachment }): JSX.Element {
  const kind = (a.type.split('/')[1] ?? 'file').toUpperCase();
  if (a.thumbnailUrl) {
    return (
      <figure class="attachment image">
        <a href={a.url} target="_blank" rel="noopener noreferrer" title={`Open ${a.name}`}>
          <img class="attachment-thumb" src={a.thumbnailUrl} alt={a.name} loading="lazy" decoding="async" />
        </a>
        <figcaption class="attachment-caption">
          <Isolated text={a.name} /> · {formatSize(a.size)}
        </figcaption>
      </figure>
    );
  }
  return (
    <a class="attachment file-chip" href={a.url} download={a.name} title={`Download ${a.name}`}>
      <span class="file-kind" aria-hidden="true">
        {kind}
      </span>
      <span class="file-name">
        <Isolated text={a.name} />
      </span>
      <span class="file-size">
        {kind} · {formatSize(a.size)}
      </span>
    </a>
  );
}
