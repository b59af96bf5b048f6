import {Box, Text, useInput} from 'ink';
import {useEffect, useMemo, useRef, useState} from 'react';
import {percent} from '../../domain/format.js';
import {sanitize} from '../../domain/sanitize.js';
import type {NodeSnapshot} from '../../domain/types.js';
import type {ConsoleServices} from '../../services/console-services.js';
import type {OtherFilesBreakdown} from '../../services/other-files.js';
import type {DrillProgress} from '../../domain/drill-model.js';
import {DrillTable} from '../components/drill-table.js';
import {WalkStatus, walkingLabel} from '../components/walk-status.js';
import {Command, commandsIn, treeScopes} from '../keymap.js';
import {progressRows, type DrillRow} from '../model/drill-rows.js';
import {fit, truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {childIndex, otherRows, residualLine, type OtherRow} from '../model/other-files-tree.js';

export interface OtherFilesScreenProps {
	services?: Pick<ConsoleServices, 'otherFiles'>;
	snapshot: NodeSnapshot | null;
	width: number;
	height: number;
	active?: boolean;
	/** Back pressed at the top. */
	onLeave: () => void;
	onHelp?: () => void;
	onQuit?: () => void;
}

type Walk = {status: 'running'; progress: DrillProgress | null; current: string; root: string} | {status: 'done'; breakdowns: OtherFilesBreakdown[]} | {status: 'failed'; message: string} | {status: 'unavailable'};

/** The finished top-level directories so far, as the drill lists them while it walks (no A/C/D: not a layer). */
const walkingRows = (walk: Walk): DrillRow[] => (walk.status === 'running' && walk.progress ? progressRows(walk.progress, 'allocated').map(r => ({...r, mark: null})) : []);
/** The drill's keys, as its footer says them. */
const drillKeys = (rows: number, cursor: number) => `Enter/→ in  ⌫/←/h out  r rewalk  ? help  q quit  ${rows ? `${cursor + 1}/${rows}` : ''}`;

interface Level {
	key: string | undefined;
	cursor: number;
	top: number;
}

const clamp = (n: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, n));
/** Long paths keep their end (the part that tells them apart). */
const tail = (text: string, width: number) => (text.length > width ? `…${text.slice(text.length - width + 1)}` : text);

/**
 * "Other files" broken down: the rest of each filesystem walked with the drill-down
 * walker and classed, as a du-style tree with the drill's keys. The residual against
 * statfs is always on screen.
 */
export function OtherFilesScreen({services, snapshot, width, height, active = true, onLeave, onHelp, onQuit}: OtherFilesScreenProps) {
	const [walk, setWalk] = useState<Walk>({status: 'running', progress: null, current: '', root: ''});
	const [generation, setGeneration] = useState(0);
	const [fsIndex, setFsIndex] = useState(0);
	const [levels, setLevels] = useState<Level[]>([{key: undefined, cursor: 0, top: 0}]);

	const ready = Boolean(services?.otherFiles && snapshot);
	useEffect(() => {
		if (!services?.otherFiles || !snapshot) return;
		const controller = new AbortController();
		setWalk({status: 'running', progress: null, current: '', root: ''});
		services
			.otherFiles(snapshot, {
				signal: controller.signal,
				onProgress: p => !controller.signal.aborted && setWalk({status: 'running', progress: {entries: p.entries, dirsDone: p.dirsDone, totals: p.totals, topLevel: p.topLevel}, current: p.current, root: p.root}),
			})
			.then(breakdowns => setWalk({status: 'done', breakdowns}))
			.catch((error: Error) => {
				if (!controller.signal.aborted) setWalk({status: 'failed', message: error.message.split('\n')[0] ?? 'walk failed'});
			});
		return () => controller.abort();
	}, [generation, ready]);

	const breakdown = walk.status === 'done' ? walk.breakdowns[fsIndex] : undefined;
	const children = useMemo(() => (breakdown ? childIndex(breakdown) : new Map()), [breakdown]);
	const level = levels.at(-1)!;
	const rows: (OtherRow | DrillRow)[] = breakdown ? otherRows(breakdown, children, level.key) : walkingRows(walk);
	const page = Math.max(1, height - 7);
	const cursor = clamp(level.cursor, 0, Math.max(0, rows.length - 1));

	const latest = useRef({page, levels, walk, children, fsIndex});
	latest.current = {page, levels, walk, children, fsIndex};
	// One command against the latest rows; returns the levels after it (keys may arrive as one chunk: "jj\r").
	const run = (command: Command | undefined, state: {levels: Level[]; fsIndex: number}): boolean => {
		const {page, walk} = latest.current;
		const breakdown = walk.status === 'done' ? walk.breakdowns[state.fsIndex] : undefined;
		const current = state.levels.at(-1)!;
		const rows = breakdown ? otherRows(breakdown, latest.current.children, current.key) : walkingRows(walk);
		const cursor = clamp(current.cursor, 0, Math.max(0, rows.length - 1));
		if (command === Command.Quit) return (onQuit?.(), false);
		if (command === Command.Help) return (onHelp?.(), false);
		if (command === Command.Refresh) {
			state.levels = [{key: undefined, cursor: 0, top: 0}];
			setGeneration(g => g + 1);
			return true;
		}
		if (command === Command.Back) {
			if (state.levels.length > 1) return ((state.levels = state.levels.slice(0, -1)), true);
			return (onLeave(), false);
		}
		if (command === Command.Sort && walk.status === 'done' && walk.breakdowns.length > 1) {
			state.levels = [{key: undefined, cursor: 0, top: 0}];
			state.fsIndex = (state.fsIndex + 1) % walk.breakdowns.length;
			return true;
		}
		if (command === Command.Open) {
			const row = breakdown ? (rows[cursor] as OtherRow | undefined) : undefined; // while walking, as the drill: nothing to open yet
			if (row?.key) state.levels = [...state.levels.slice(0, -1), {...current, cursor}, {key: row.key, cursor: 0, top: 0}];
			return true;
		}
		const step: Partial<Record<Command, number>> = {
			[Command.Up]: -1,
			[Command.Down]: 1,
			[Command.PageUp]: -page,
			[Command.PageDown]: page,
			[Command.Top]: -Infinity,
			[Command.Bottom]: Infinity,
		};
		const delta = command === undefined ? undefined : step[command];
		if (delta === undefined) return true;
		const next = clamp(delta === -Infinity ? 0 : delta === Infinity ? rows.length - 1 : cursor + delta, 0, Math.max(0, rows.length - 1));
		let top = clamp(current.top, 0, Math.max(0, rows.length - page));
		if (next < top) top = next;
		if (next >= top + page) top = next - page + 1;
		state.levels = [...state.levels.slice(0, -1), {...current, cursor: next, top}];
		return true;
	};
	useInput(
		(input, key) => {
			const commands = commandsIn(treeScopes, input, key);
			const state = {levels: latest.current.levels, fsIndex: latest.current.fsIndex};
			for (const command of commands) if (!run(command, state)) return;
			setLevels(state.levels);
			setFsIndex(state.fsIndex);
		},
		{isActive: active},
	);

	if (!active) return null;
	if (!ready && walk.status === 'running') {
		return (
			<Box flexDirection="column" width={width}>
				<Text bold wrap="truncate-end">
					{truncate('Other files: the rest of the filesystem, classed', width)}
				</Text>
				<Text color="cyan" wrap="truncate-end">
					{truncate('waiting for the engines to answer…', width)}
				</Text>
				<Text dimColor>Esc back q quit</Text>
			</Box>
		);
	}
	const title = 'Other files: the rest of the filesystem, classed';
	if (walk.status === 'unavailable' || walk.status === 'failed') {
		const message = walk.status === 'failed' ? `cannot walk the filesystem: ${sanitize(walk.message)}` : 'the breakdown is not available in this console (no services or no snapshot yet)';
		return (
			<Box flexDirection="column" width={width}>
				<Text bold wrap="truncate-end">
					{truncate(title, width)}
				</Text>
				<Text color="red" wrap="truncate-end">
					{truncate(message, width)}
				</Text>
				<Text dimColor>r retry Esc back q quit</Text>
			</Box>
		);
	}
	if (walk.status === 'running') {
		// The drill-down walker's progress, shown as the drill shows it: its status line, the
		// finished top-level directories, its keys.
		return (
			<Box flexDirection="column" width={width} height={height}>
				<Text bold wrap="truncate-end">
					{truncate(`${title}: ${sanitize(walk.root || '…')}`, width)}
				</Text>
				<WalkStatus label={walkingLabel(walk.progress, 'walking the filesystem…')} color="cyan" totals={walk.progress?.totals ?? null} marks={false} />
				<Text dimColor wrap="truncate-end">
					{truncate(sanitize(walk.current) || 'one filesystem, no symlinks followed, hard links once', width)}
				</Text>
				<DrillTable rows={rows as DrillRow[]} cursor={cursor} top={clamp(level.top, 0, Math.max(0, rows.length - page))} height={page} width={width} empty="walking… top-level directories appear as they finish" />
				<Box flexGrow={1} />
				<Text dimColor wrap="truncate-end">
					{truncate(`Esc stops the walk  ${drillKeys(rows.length, cursor)}`, width)}
				</Text>
			</Box>
		);
	}
	if (!breakdown) {
		return (
			<Box flexDirection="column" width={width}>
				<Text bold wrap="truncate-end">
					{truncate(title, width)}
				</Text>
				<Text wrap="truncate-end">no local filesystem to walk: the engines' filesystems are not readable here</Text>
				<Text dimColor>Esc back q quit</Text>
			</Box>
		);
	}
	const top = clamp(level.top, 0, Math.max(0, rows.length - page));
	const listed = rows as OtherRow[];
	const shown = listed.slice(top, top + page);
	const selected = listed[cursor];
	const where = tail(level.key === undefined ? sanitize(breakdown.root) : level.key.startsWith('class:') ? `${sanitize(breakdown.root)} › ${level.key.slice(6)}` : sanitize(level.key), width);
	const name = Math.max(10, width - 2 - 10 - 6);
	const more = walk.breakdowns.length > 1 ? `  (filesystem ${fsIndex + 1} of ${walk.breakdowns.length}: s next)` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{truncate(`${title}${more}`, width)}
			</Text>
			<Text color={Math.abs(breakdown.residualBytes) > breakdown.usedBytes / 100 ? 'yellow' : undefined} wrap="truncate-end">
				{truncate(residualLine(breakdown), width)}
			</Text>
			<Text dimColor wrap="truncate-end">
				{truncate(`${where}${breakdown.errors ? `  · ${breakdown.errors} unreadable entries` : ''}`, width)}
			</Text>
			<Box flexDirection="column" height={page}>
				{shown.length === 0 ? <Text dimColor>empty</Text> : null}
				{shown.map((row, i) => (
					<Text key={top + i} inverse={top + i === cursor} wrap="truncate-end">
						{`${top + i === cursor ? '›' : ' '}${row.key ? '▸' : ' '}${fit(tail(sanitize(row.label), name), name)}${fit(bytes(row.bytes), 10, 'right')}${fit(percent(row.bytes, breakdown.usedBytes), 6, 'right')}`}
					</Text>
				))}
			</Box>
			<Text color="green" wrap="truncate-end">
				{truncate(selected ? sanitize(selected.note) : '', width)}
			</Text>
			<Text dimColor wrap="truncate-end">
				{truncate(drillKeys(rows.length, cursor), width)}
			</Text>
		</Box>
	);
}
