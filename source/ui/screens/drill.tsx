import {Box, Text, useInput} from 'ink';
import {useCallback, useEffect, useMemo, useReducer, useRef} from 'react';
import {summarizeClasses} from '../../domain/classify.js';
import {sanitize} from '../../domain/sanitize.js';
import {wrap} from '../../domain/text-width.js';
import type {ConsoleServices} from '../../services/console-services.js';
import {ClassSummary, classSummaryLines} from '../components/class-summary.js';
import {DrillHeader, drillHeaderLines} from '../components/drill-header.js';
import {DrillTable} from '../components/drill-table.js';
import {Command, commandIn, commandsIn, treeScopes} from '../keymap.js';
import {useDrillWalk} from '../hooks/use-drill-walk.js';
import {costText, explainRow} from '../model/drill-explain.js';
import {dirRows, heaviestPath, progressRows, type DrillRow} from '../model/drill-rows.js';
import {truncate} from '../model/fit.js';
import type {ContainerRow} from '../model/rows.js';
import {currentKey, cursorIn, drillReducer, initialDrillState, topFor, withRoot} from '../state/drill-state.js';
import {DrillGone} from './drill-gone.js';

export interface DrillScreenProps {
	/** The container's row in the current snapshot; undefined once it has vanished. */
	row: ContainerRow | undefined;
	services?: Pick<ConsoleServices, 'drill'>;
	width: number;
	height: number;
	/** False while an overlay (help) covers the screen: the walk goes on, keys are not read. */
	active?: boolean;
	/** Back pressed at the layer root. */
	onLeave: () => void;
	/** The container is gone: back to the list. */
	onGone: () => void;
	/** The screen reads its own keys; these two go to the console. */
	onHelp?: () => void;
	onQuit?: () => void;
	/** `--container` named no listed container: this (sanitised) text. */
	unknown?: string;
	/** How long the "gone" message stays before returning to the list. */
	goneMs?: number;
}

/** The ncdu-like tree of one container's writable layer, with marks, classes and a summary per class. */
export function DrillScreen({row, services, width, height, active = true, onLeave, onGone, onHelp, onQuit, unknown, goneMs = 2000}: DrillScreenProps) {
	const [ui, dispatch] = useReducer(drillReducer, initialDrillState);
	const walk = useDrillWalk(services, row?.record, ui.generation);
	const tree = walk.status === 'done' ? walk.tree : null;
	const progress = walk.status === 'running' ? walk.progress : null;
	const gone = !row || (walk.status === 'failed' && walk.notFound);
	const name = useRef(row?.name ?? unknown ?? null);
	if (row) name.current = row.name;

	useEffect(() => {
		if (ui.left) onLeave();
	}, [ui.left]);
	useEffect(() => {
		if (!gone) return;
		const timer = setTimeout(onGone, goneMs);
		return () => clearTimeout(timer);
	}, [gone]);

	const listing = useCallback(
		(key: string | undefined): DrillRow[] => {
			if (tree) {
				const dir = tree.dirs.get(key ?? tree.rootKey);
				return dir ? dirRows(tree, dir, ui.mode) : [];
			}
			return progress ? progressRows(progress, ui.mode) : [];
		},
		[tree, progress, ui.mode],
	);
	const heaviest = useMemo(() => (tree ? heaviestPath(tree, ui.mode) : null), [tree, ui.mode]);
	const classes = tree?.classes ?? (progress ? summarizeClasses(progress.totals.classBytes, progress.totals.classLowerBytes) : []);

	const header = drillHeaderLines(tree);
	let summary = classSummaryLines(classes.length, width, Boolean(tree?.metadataCopyUp));
	let page = height - header - 1 - 3 - summary - 1;
	if (page < 3) {
		summary = 0;
		page = height - header - 1 - 3 - 1;
	}
	page = Math.max(1, page);

	// Ink re-subscribes the handler in a passive effect: a key arriving right after a render
	// would see the previous closure. Read what the latest render saw instead.
	const latest = useRef({gone, page, listing, root: tree?.rootKey, onGone, onHelp, onQuit});
	latest.current = {gone, page, listing, root: tree?.rootKey, onGone, onHelp, onQuit};
	useInput(
		(input, key) => {
			const {gone, page, listing, root, onGone, onHelp, onQuit} = latest.current;
			const first = commandIn(treeScopes, input, key);
			if (first === Command.Quit) return onQuit?.();
			if (gone) return onGone();
			for (const command of commandsIn(treeScopes, input, key)) {
				if (command === Command.Help) return onHelp?.();
				if (command === Command.Quit) return onQuit?.();
				dispatch({type: 'command', command, page, listing, root});
			}
		},
		{isActive: active},
	);

	if (!active) return null;
	if (gone) return <DrillGone name={name.current} width={width} unknown={unknown !== undefined} />;
	if (walk.status === 'unavailable' || walk.status === 'failed') {
		const message = walk.status === 'failed' ? `cannot read the writable layer: ${sanitize(walk.message)}` : 'the drill-down is not available in this console (no services)';
		return (
			<Box flexDirection="column" width={width}>
				<Text bold wrap="truncate-end">
					{truncate(`Writable layer of ${row!.name}`, width)}
				</Text>
				<Text color="red" wrap="truncate-end">
					{truncate(message, width)}
				</Text>
				<Text dimColor>r retry Esc back q quit</Text>
			</Box>
		);
	}

	const view = withRoot(ui, tree?.rootKey);
	const key = currentKey(view);
	const rows = listing(key);
	const cursor = cursorIn(view, rows.length);
	const top = topFor(view, rows.length, page);
	const selected = rows[cursor];
	const dir = tree && key ? tree.dirs.get(key) : undefined;
	const approximate = tree?.approximate ?? false;
	const empty = dir?.unreadable ? 'this directory could not be listed (permission denied)' : tree ? 'empty' : 'walking… top-level directories appear as they finish';
	const detail = selected ? `${selected.mark ?? ' '} ${selected.name}: ${costText(selected, ui.mode, approximate)}` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<DrillHeader name={row!.name} growth={row!.growth} tree={tree} progress={progress} heaviest={heaviest} path={dir?.display ?? '/'} mode={ui.mode} width={width} />
			<DrillTable rows={rows} cursor={cursor} top={top} height={page} width={width} empty={empty} />
			<Text wrap="truncate-end">{truncate(detail, width)}</Text>
			<Box flexDirection="column" height={2}>
				{wrap(selected ? explainRow(selected, approximate, row?.kind) : '', width, '  ')
					.slice(0, 2)
					.map((l, i) => (
						<Text key={i} color="green" wrap="truncate-end">
							{l}
						</Text>
					))}
			</Box>
			{summary > 0 ? <ClassSummary classes={classes} width={width} label={tree ? '(apparent)' : '(so far)'} metadata={tree?.metadataCopyUp} /> : null}
			<Text dimColor wrap="truncate-end">
				{truncate(`Enter/→ in  ⌫/←/h out  b ${ui.mode === 'allocated' ? 'apparent' : 'allocated'}  r rewalk  ? help  q quit  ${rows.length ? `${cursor + 1}/${rows.length}` : ''}`, width)}
			</Text>
		</Box>
	);
}
