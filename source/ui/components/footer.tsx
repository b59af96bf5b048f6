import {sanitize} from '../../domain/sanitize.js';
import {Text} from 'ink';
import {truncateWidth} from '../../domain/text-width.js';
import type {ScanProgress} from '../../services/docker-scan.js';
import {Command, keysFor} from '../keymap.js';

export interface FooterProps {
	width: number;
	sort: string;
	progress: ScanProgress | null;
	error: string | null;
	/** e.g. an unreadable kubelet config; shown until the first key press would be nicer, shown always for now. */
	notice?: string;
	position: string;
	/** Pods on the node (Kubernetes or Podman): the footer offers grouping by pod (on or off). */
	pods?: 'on' | 'off' | null;
}

function progressText(progress: ScanProgress): string {
	const what = {containers: 'listing containers', sizing: 'sizing writable layers', images: 'reading images', 'disk-usage': 'waiting for disk usage', done: 'done'}[progress.phase];
	return progress.total > 0 ? `${what} ${progress.done}/${progress.total}` : `${what}…`;
}

export function Footer({width, sort, progress, error, notice, position, pods}: FooterProps) {
	if (error) {
		return (
			<Text color="red" wrap="truncate-end">
				{truncateWidth(`${error}  (${keysFor(Command.Refresh)} retry, ${keysFor(Command.Quit)} quit)`, width)}
			</Text>
		);
	}
	const podKey = pods ? `${keysFor(Command.PodGroups)} pods:${pods}  ` : '';
	const keys = `? help  s sort:${sort}  ${podKey}r refresh  q quit  ${position}` + (notice ? `  ${sanitize(notice)}` : '');
	return (
		<Text wrap="truncate-end">
			{progress ? <Text color="cyan">{progressText(progress) + '  '}</Text> : null}
			<Text dimColor>{truncateWidth(keys, Math.max(0, width - (progress ? progressText(progress).length + 2 : 0)))}</Text>
		</Text>
	);
}
