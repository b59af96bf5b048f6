import {Box, useApp, useInput} from 'ink';
import {type ReactNode, useEffect, useMemo, useReducer} from 'react';
import type {ConsoleFeed} from '../services/console-feed.js';
import type {ConsoleServices} from '../services/console-services.js';
import {ReadOnlyBanner} from './components/read-only-banner.js';
import {ActionsScreen} from './screens/actions.js';
import {useFeed, useNow} from './hooks/use-feed.js';
import {useTerminalSize, type TerminalSize} from './hooks/use-terminal-size.js';
import {Command, commandsIn, consoleScopes} from './keymap.js';
import {minColumns, minRows, overviewLayout} from './model/layout.js';
import {filesystemGroups} from './model/node-model.js';
import {collectRows, sortedOrders} from './model/rows.js';
import {groupByPod} from './model/pod-rows.js';
import {Detail} from './screens/detail.js';
import {DeletedOpenScreen} from './screens/deleted-open.js';
import {heldByContainer} from '../domain/deleted-open.js';
import {DrillScreen} from './screens/drill.js';
import {OtherFilesScreen} from './screens/other-files.js';
import {ImageExplorer} from './screens/image-explorer.js';
import {findRow} from './model/find-row.js';
import {sanitize} from '../domain/sanitize.js';
import {Guide} from './screens/guide.js';
import {Help} from './screens/help.js';
import {Overview} from './screens/overview.js';
import {TooSmall} from './screens/too-small.js';
import {FaultPoint} from './fault.js';
import {initialUiState, uiReducer, windowOf, type UiState} from './state/console-state.js';

export interface AppProps {
	feed: ConsoleFeed;
	/** Fixed size and clock for tests; the real terminal otherwise. */
	size?: TerminalSize;
	now?: number;
	initial?: Partial<UiState>;
	onQuit?: () => void;
	/** Actions, drill-down and the read-only decision; built by cli/run-console.ts. */
	services?: ConsoleServices;
}

export function App({feed, size: fixedSize, now: fixedNow, initial, onQuit, services}: AppProps) {
	const state = useFeed(feed);
	const terminal = useTerminalSize(fixedSize);
	// Read-only: the banner takes the top row on every screen; screens lay out in the rest.
	const banner = services?.readOnly.on ? 1 : 0;
	const size = banner ? {...terminal, rows: terminal.rows - banner} : terminal;
	const now = useNow(1000, fixedNow);
	const {exit} = useApp();
	const [ui, dispatch] = useReducer(uiReducer, {...initialUiState, ...initial});
	// Derived once per sample, not per key: the rows (names sanitised, series read) in every order.
	const orders = useMemo(() => sortedOrders(collectRows(state.snapshot, state)), [state.snapshot, state.growth, state.history]);
	// Pods as the unit (P): a pod's containers under the pod, its total next to its ephemeral-storage sizing.
	const flat = orders[ui.sort];
	const podStorage = useMemo(() => (ui.podGroups && state.snapshot && services?.podStorage ? services.podStorage(state.snapshot) : []), [ui.podGroups, state.snapshot, services]);
	const rows = useMemo(() => (ui.podGroups ? groupByPod(flat, podStorage) : flat), [flat, ui.podGroups, podStorage]);
	const keys = useMemo(() => rows.map(r => r.key), [rows]);
	const groups = useMemo(() => filesystemGroups(state.snapshot, state.growth, state.thresholds, state.logGrowth), [state.snapshot, state.growth, state.thresholds, state.logGrowth]);
	// the deleted-but-open row shows once /proc was scanned
	const layout = overviewLayout(size.rows, Math.max(1, groups.length), Math.max(8, ...groups.map(g => g.lines.length)));
	const {cursor, top} = windowOf(ui, keys, layout.tableRows);

	useEffect(() => dispatch({type: 'sync', keys, page: layout.tableRows}), [keys, layout.tableRows]);
	// --container NAME|ID: straight into the drill-down once a snapshot lists it
	useEffect(() => {
		if (!ui.wanted || !state.snapshot || state.progress) return;
		dispatch({type: 'screen', screen: 'drill', selected: findRow(flat, ui.wanted)?.key ?? `missing:${ui.wanted}`});
	}, [ui.wanted, rows, state.progress]);
	useEffect(() => {
		if (!ui.quit) return;
		onQuit?.();
		exit();
	}, [ui.quit]);

	useInput(
		(input, key) => {
			// Keys typed faster than a frame arrive as one chunk ("jj\r"): commandsIn splits it.
			for (const command of commandsIn(consoleScopes, input, key)) {
				if (command === Command.Refresh) feed.refresh();
				dispatch({type: 'command', command, keys, page: layout.tableRows});
			}
		},
		{isActive: ui.screen !== 'actions' && ui.screen !== 'drill' && ui.screen !== 'other' && ui.screen !== 'image'},
	); // the actions screens read their own keys (typed confirmation)

	const width = size.columns;
	if (size.columns < minColumns || size.rows < minRows)
		return (
			<>
				<TooSmall columns={size.columns} rows={size.rows} />
				<FaultPoint screen="too-small" />
			</>
		); // FaultPoint: test-only, see fault.ts
	const height = size.rows - 1;
	let body: ReactNode;
	if (ui.screen === 'help') body = <Help width={width} height={height} />;
	else if (ui.screen === 'actions') {
		const report = (command: Command) => dispatch({type: 'command', command, keys, page: layout.tableRows});
		body = (
			<ActionsScreen
				services={services}
				snapshot={state.snapshot}
				scanning={state.progress?.phase ?? null}
				growth={state.growth}
				refresh={() => feed.refresh()}
				width={width}
				height={height}
				onLeave={() => report(Command.Back)}
				onHelp={() => report(Command.Help)}
				onQuit={() => report(Command.Quit)}
				onImage={image => dispatch({type: 'screen', screen: 'image', image, from: 'actions'})}
			/>
		);
	} else if (ui.screen === 'guide')
		body = (
			<Guide
				feed={state}
				services={services}
				width={width}
				height={height}
				step={ui.guideStep ?? 1}
				actionsKey="a"
				onLeave={step => dispatch({type: 'show', screen: 'overview', guideStep: step})}
				onHandOver={(target, step) => dispatch({type: 'show', screen: target.screen, sort: target.sort, select: target.select ?? null, guideStep: step})}
			/>
		);
	else if (ui.screen === 'drill' || ui.screen === 'other' || ui.screen === 'image')
		body = null; // drill-down: rendered below, kept mounted under the help overlay
	else if (ui.screen === 'deleted') body = <DeletedOpenScreen snapshot={state.snapshot} width={width} height={height} top={ui.deletedTop ?? 0} />;
	else if (ui.screen === 'detail')
		body = <Detail row={flat.find(r => r.key === ui.selected)} width={width} height={height} held={state.snapshot?.engines.some(e => e.deletedOpen) ? (heldByContainer(state.snapshot.engines).get(ui.selected ?? '') ?? 0) : undefined} />;
	else body = <Overview feed={state} groups={groups} rows={rows} layout={layout} width={width} now={now} cursor={cursor} top={top} sort={ui.sort} podGroups={ui.podGroups} />;
	return (
		<Box flexDirection="column" width={width} height={height + banner} overflowY="hidden">
			{banner ? <ReadOnlyBanner source={services!.readOnly.source} width={width} /> : null}
			{body}
			<FaultPoint screen={ui.screen} />
			{ui.screen === 'drill' || (ui.screen === 'help' && ui.under === 'drill') ? (
				<DrillScreen
					key={ui.selected ?? ''}
					row={flat.find(r => r.key === ui.selected)}
					services={services}
					width={width}
					height={height}
					active={ui.screen === 'drill'}
					unknown={ui.selected?.startsWith('missing:') ? sanitize(ui.selected.slice(8)) : undefined}
					onLeave={() => dispatch({type: 'command', command: Command.Back, keys, page: layout.tableRows})}
					onGone={() => dispatch({type: 'screen', screen: 'overview'})}
					onHelp={() => dispatch({type: 'command', command: Command.Help, keys, page: layout.tableRows})}
					onQuit={() => dispatch({type: 'command', command: Command.Quit, keys, page: layout.tableRows})}
				/>
			) : null}
			{ui.screen === 'other' || (ui.screen === 'help' && ui.under === 'other') ? (
				<OtherFilesScreen
					services={services}
					snapshot={state.snapshot}
					width={width}
					height={height}
					active={ui.screen === 'other'}
					onLeave={() => dispatch({type: 'command', command: Command.Back, keys, page: layout.tableRows})}
					onHelp={() => dispatch({type: 'command', command: Command.Help, keys, page: layout.tableRows})}
					onQuit={() => dispatch({type: 'command', command: Command.Quit, keys, page: layout.tableRows})}
				/>
			) : null}
			{ui.screen === 'image' || (ui.screen === 'help' && ui.under === 'image') ? (
				<ImageExplorer
					key={ui.image ?? `row:${ui.selected ?? ''}`}
					{...imageOfUi(
						ui.image,
						flat.find(r => r.key === ui.selected),
					)}
					services={services}
					width={width}
					height={height}
					active={ui.screen === 'image'}
					onLeave={() => dispatch({type: 'command', command: Command.Back, keys, page: layout.tableRows})}
					onHelp={() => dispatch({type: 'command', command: Command.Help, keys, page: layout.tableRows})}
					onQuit={() => dispatch({type: 'command', command: Command.Quit, keys, page: layout.tableRows})}
				/>
			) : null}
		</Box>
	);
}

/** The image to explore: the one named (from an image finding), else the selected container's (Docker only). */
function imageOfUi(named: string | null | undefined, row: {engine: string; record: {engine: string; imageId?: string; image?: string}} | undefined): {image: string | null; note?: string} {
	if (named) return {image: named};
	if (row && row.record.engine !== 'docker') {
		return {image: null, note: `${row.engine} is a CRI engine: the CRI API gives an image's size and digests, not its layers' files, so its layers cannot be explored`};
	}
	return {image: row?.record.imageId || row?.record.image || null};
}
