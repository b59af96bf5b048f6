import {Box, useInput} from 'ink';
import {type ReactNode, useEffect, useMemo, useReducer, useRef, useState} from 'react';
import type {NodeSnapshot} from '../../domain/types.js';
import type {ConsoleServices} from '../../services/console-services.js';
import {readOnlyExplanation} from '../components/read-only-banner.js';
import {useAdvice} from '../hooks/use-advice.js';
import {actionEntries, type ActionEntry} from '../model/action-entries.js';
import {actionsIntent} from '../state/actions-keys.js';
import {actionsReducer, activePlan, initialActions, type ActionsState} from '../state/actions-state.js';
import {ActionsList, listChrome} from './actions-list.js';
import {planChrome, PlanView} from './plan-view.js';
import {ResultView} from './result-view.js';
import {formatError} from '../../domain/operator-error.js';

export interface ActionsScreenProps {
	services: ConsoleServices | undefined;
	snapshot: NodeSnapshot | null;
	/** The phase of a full scan in progress (the feed's progress), or null. */
	scanning?: string | null;
	/** The feed's growth per "engine/id": advice drills the growing containers first. */
	growth?: ReadonlyMap<string, number | null>;
	/** Asks the feed for a full rescan (after a cleanup, and on r). */
	refresh: () => void;
	width: number;
	height: number;
	onLeave: () => void;
	onHelp?: () => void;
	onQuit: () => void;
	/** `i` on an image finding (issue 15): open the image explorer on that image. */
	onImage?: (image: string) => void;
	/** Tests start in a given state. */
	initial?: Partial<ActionsState>;
}

/** The image an entry is about: image findings (titled "Image build: …") name it as their subject. */
export const imageOf = (entry: ActionEntry | undefined) => (entry?.kind === 'redesign' && entry.title.startsWith('Image build:') && entry.subject ? entry.subject : null);

/** Suggestions → plan → explicit confirmation → live removal → result, all keys handled here. */
export function ActionsScreen({services, snapshot, scanning = null, growth, refresh, width, height, onLeave, onHelp, onQuit, onImage, initial}: ActionsScreenProps) {
	// No mutation service (read-only, or not built yet): confirmation can never be reached.
	const disabled = services?.readOnly.on ? readOnlyExplanation(services.readOnly.source) : !services?.mutations ? 'not connected to the engine yet: nothing can be removed now; this is what would happen' : null;
	const [state, dispatch] = useReducer(actionsReducer, {...initialActions(), ...initial});
	const [generation, setGeneration] = useState(0);
	const [notBefore, setNotBefore] = useState(0);
	const advice = useAdvice(services, snapshot, generation, notBefore, scanning, growth);
	const entries = useMemo(() => actionEntries(advice.suggestions, advice.snapshot, state.buildCache), [advice.suggestions, advice.snapshot, state.buildCache]);
	const started = useRef<object | null>(null);

	useEffect(() => {
		if (state.leave) onLeave();
	}, [state.leave]);

	useEffect(() => {
		if (state.phase !== 'running' || started.current === state.confirm) return;
		started.current = state.confirm;
		const plan = activePlan(state);
		const mutations = services?.mutations;
		if (!plan || !mutations) {
			dispatch({type: 'failed', message: 'nothing can be removed in this session'});
			return;
		}
		mutations
			.execute(plan, outcome => dispatch({type: 'outcome', outcome}))
			.then(result => {
				dispatch({type: 'done', result});
				setNotBefore(Date.now());
				refresh();
			})
			.catch(error => dispatch({type: 'failed', message: `removal stopped: ${formatError(error)}`}));
	}, [state.phase]);

	// Keys can arrive before the effects of the last render ran: read the latest values, not a closure.
	const latest = useRef({entries, disabled, phase: state.phase, page: 0, cursor: state.cursor});
	latest.current = {entries, disabled, phase: state.phase, page: state.phase === 'list' ? height - listChrome : height - planChrome, cursor: state.cursor};
	useInput((input, key) => {
		const {entries, disabled, phase, page, cursor} = latest.current;
		for (const intent of actionsIntent(phase, input, key)) {
			if (intent.type === 'quit') onQuit();
			else if (intent.type === 'image') {
				const image = imageOf(entries[cursor]);
				if (image) return onImage?.(image);
			} else if (intent.type === 'help') onHelp?.();
			else if (intent.type === 'recompute') {
				refresh();
				setGeneration(g => g + 1);
			} else if (intent.type === 'move') dispatch({...intent, count: entries.length, page});
			else if (intent.type === 'filter-open') dispatch({type: 'filter-open', index: entries.findIndex(e => e.buildCache), count: entries.length, page: height - listChrome});
			else if (intent.type === 'open') {
				if (phase === 'result') setGeneration(g => g + 1);
				dispatch({type: 'open', entries, disabled});
			} else if (intent.type === 'back') {
				if (phase === 'result') setGeneration(g => g + 1);
				dispatch(intent);
			} else if (intent.type === 'confirm') dispatch({type: 'confirm', disabled});
			else dispatch(intent);
		}
	});

	let body: ReactNode;
	if (state.phase === 'list' || state.phase === 'filter' || !state.draft) {
		body = <ActionsList entries={entries} advice={advice} cursor={state.cursor} top={state.top} width={width} height={height} notice={state.notice} filter={state.filter} />;
	} else if (state.phase === 'plan' || state.phase === 'confirm') {
		body = <PlanView draft={state.draft} cursor={state.planCursor} top={state.planTop} width={width} height={height} confirm={state.confirm} notice={state.notice} disabled={disabled} now={advice.snapshot?.takenAt} />;
	} else {
		body = <ResultView plan={activePlan(state)!} outcomes={state.outcomes} result={state.result} top={state.planTop} width={width} height={height} />;
	}
	return (
		<Box flexDirection="column" width={width} height={height}>
			{body}
		</Box>
	);
}
