import type { JSX } from 'preact';
import { showControls } from './names';

/** Text a visitor chose, isolated from its surroundings and with its direction controls shown. */
export function Isolated({ text, class: className }: { text: string; class?: string }): JSX.Element {
  return <bdi class={className}>{showControls(text)}</bdi>;
}
