import {Box, Text} from 'ink';
import type {NodeSnapshot} from '../../domain/types.js';
import {keysFor, Command} from '../keymap.js';
import {deletedOpenRows} from '../model/deleted-open-rows.js';
import {fit, truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';

export interface DeletedOpenProps {
	snapshot: NodeSnapshot | null;
	width: number;
	height: number;
	/** First visible row. */
	top: number;
}

/** Title, column header, explanation and footer. */
export const deletedOpenChrome = 4;

/** Files deleted while a process still holds them open, grouped by holder (container or host process). */
export function DeletedOpenScreen({snapshot, width, height, top}: DeletedOpenProps) {
	const {rows, files, bytes: total, scanned} = deletedOpenRows(snapshot);
	const page = Math.max(1, height - deletedOpenChrome);
	const start = Math.max(0, Math.min(top, rows.length - page));
	const name = Math.max(10, width - 22);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold>{truncate(`Deleted, still open: ${files} file(s), ${bytes(total)} on disk that no directory shows`, width)}</Text>
			<Text dimColor>{fit('HOLDER / FILE', name) + fit('ALLOCATED', 11, 'right') + fit('APPARENT', 11, 'right')}</Text>
			{!scanned ? <Text>{truncate('/proc not scanned (needs root, and a local engine filesystem)', width)}</Text> : null}
			{scanned && rows.length === 0 ? <Text>{truncate('No deleted file is held open on the engines\u2019 filesystems.', width)}</Text> : null}
			{rows.slice(start, start + page).map((row, i) => (
				<Text key={start + i} bold={row.kind === 'holder'} wrap="truncate-end">
					{fit(row.kind === 'holder' ? row.text : `  ${row.text}`, name) + fit(bytes(row.allocated), 11, 'right') + fit(row.apparent === null ? '' : bytes(row.apparent), 11, 'right')}
				</Text>
			))}
			<Box flexGrow={1} />
			<Text dimColor>{truncate('Fix: restart the holder or make it reopen (copytruncate, reopen signal); or truncate via /proc/PID/fd/N', width)}</Text>
			<Text dimColor>{truncate(`${keysFor(Command.Actions)} actions: truncate (plan, confirm)  ↑↓ scroll  Esc back  ? help  q quit`, width)}</Text>
		</Box>
	);
}
