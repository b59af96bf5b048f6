/**
 * What the guide needs beyond the feed: the drill-down of the focus container, a search
 * for a copy-up and a whiteout, and the advice. Loaded through ConsoleServices, aborted
 * when the guide closes, and cached per services object so reopening the guide is instant.
 */
import {useEffect, useState} from 'react';
import type {Suggestion} from '../../domain/advise.js';
import type {ContainerRecord, NodeSnapshot} from '../../domain/types.js';
import type {ConsoleServices} from '../../services/console-services.js';
import type {DrilledContainer, GuideDrills, Loadable, Mechanism} from '../guide/guide-model.js';
import {allContainers, findMechanisms, keyOf, searchOrder, stickyFocus} from '../guide/guide-pick.js';
import {formatError} from '../../domain/operator-error.js';

interface Cached {
	/** The focus the guide showed last (stickyFocus keeps it while it grows). */
	focusKey?: string | null;
	drillsKey?: string;
	drills?: GuideDrills;
	advice?: {at: number; value: Suggestion[]};
}

const cache = new WeakMap<ConsoleServices, Cached>();
const adviceMaxAgeMs = 60_000;
const noServices = {status: 'unavailable', reason: 'the guide was opened without engine services: drill-down and advice are not available'} as const;

/** The heavier of two findings; `a` (the focus container's own) wins ties. */
const heavier = <T>(a: T | null, b: T | null, weight: (m: T) => number): T | null => (!a ? b : !b ? a : weight(b) > weight(a) ? b : a);
const lowerBytes = (m: Mechanism) => m.change.lowerBytes ?? 0;

/**
 * Drills the focus, then searches the other containers for a copy-up and a whiteout. With `keep`
 * (the same focus drilled again because it grew) the search is not repeated: what it found stays.
 */
async function loadDrills(services: ConsoleServices, snapshot: NodeSnapshot, focusRecord: ContainerRecord | null, signal: AbortSignal, keep: GuideDrills | null): Promise<GuideDrills> {
	const drilled: DrilledContainer[] = [];
	let focus: DrilledContainer | null = null;
	if (focusRecord) {
		focus = {record: focusRecord, tree: await services.drill(focusRecord, {signal})};
		drilled.push(focus);
	}
	let found = findMechanisms(drilled);
	if (keep) {
		const metadataCopyUp = heavier(found.metadataCopyUp ?? null, keep.metadataCopyUp ?? null, m => m.summary.bytes);
		return {focus, copyUp: heavier(found.copyUp, keep.copyUp, lowerBytes), whiteout: heavier(found.whiteout, keep.whiteout, lowerBytes), metadataCopyUp, searched: keep.searched};
	}
	let searched = drilled.length;
	for (const record of searchOrder(snapshot, focusRecord)) {
		if (found.copyUp && found.whiteout) break;
		if (signal.aborted) throw signal.reason;
		try {
			drilled.push({record, tree: await services.drill(record, {signal})});
			searched++;
		} catch (error) {
			if (signal.aborted) throw error;
			// vanished meanwhile, or not walkable: search on
		}
		found = findMechanisms(drilled);
	}
	return {focus, ...found, searched};
}

export interface GuideData {
	drills: Loadable<GuideDrills>;
	advice: Loadable<Suggestion[]>;
	/** The container steps 3 to 5 are about (undefined: not chosen yet, growth not measured). */
	focus?: ContainerRecord | null;
}

export function useGuideData(services: ConsoleServices | undefined, snapshot: NodeSnapshot | null, growth: ReadonlyMap<string, number | null>): GuideData {
	const entry = services ? (cache.get(services) ?? cache.set(services, {}).get(services)!) : undefined;
	const [drills, setDrills] = useState<Loadable<GuideDrills>>(entry?.drills ? {status: 'done', value: entry.drills} : {status: 'loading'});
	const [advice, setAdvice] = useState<Loadable<Suggestion[]>>(entry?.advice ? {status: 'done', value: entry.advice.value} : {status: 'loading'});
	// Drill once growth is measured, so the focus is the real top grower and not just the largest layer.
	const measured = snapshot !== null && ([...growth.values()].some(v => v !== null) || snapshot.engines.every(e => e.containers.length === 0));
	const focus = measured ? stickyFocus(entry?.focusKey ?? null, snapshot, growth) : null;
	if (entry && measured) entry.focusKey = focus ? keyOf(focus) : null;
	// Drilled again when the focus changes, or when a container the search found is gone; not on every
	// container start or stop elsewhere on the node (on a busy node the drill would never finish).
	const present = new Set(measured ? allContainers(snapshot).map(keyOf) : []);
	const lost = [entry?.drills?.copyUp, entry?.drills?.whiteout, entry?.drills?.metadataCopyUp].some(m => m && !present.has(keyOf(m.record)));
	// A growing focus is drilled again each time its writable layer doubles, so steps 4 and 5 follow it
	// (a log writer caught at 900 kB is past the advice threshold a few seconds later).
	const focusKey = focus ? keyOf(focus) : '-';
	const generation = focus?.writableBytes ? Math.floor(Math.log2(focus.writableBytes)) : 0;
	const drillsKey = measured ? `${focusKey}|${generation}|${lost ? 'lost' : ''}` : null;

	useEffect(() => {
		if (!services || !entry || !drillsKey || !snapshot) return;
		if (entry.drillsKey === drillsKey && entry.drills) return setDrills({status: 'done', value: entry.drills});
		// A new focus: never show the old focus's tree under the new ranking. The same focus grown:
		// its last tree stays on screen until the new one is in, and the search is not repeated.
		const previous = entry.drills && (entry.drills.focus ? keyOf(entry.drills.focus.record) : '-') === focusKey ? entry.drills : null;
		if (!previous) setDrills({status: 'loading'});
		const controller = new AbortController();
		loadDrills(services, snapshot, focus, controller.signal, lost ? null : previous).then(
			value => {
				// What was just searched is all present: the key it answers is the one without a loss.
				entry.drillsKey = `${focusKey}|${generation}|`;
				entry.drills = value;
				if (!controller.signal.aborted) setDrills({status: 'done', value});
			},
			error => {
				if (!controller.signal.aborted) setDrills({status: 'error', error: formatError(error)});
			},
		);
		return () => controller.abort();
	}, [services, drillsKey]);

	// Advice on a half-read snapshot (sizes still pending, images not listed yet) would be wrong: wait for measured sizes.
	const ready = measured;
	useEffect(() => {
		if (!services || !entry || !ready) return;
		if (entry.advice && Date.now() - entry.advice.at < adviceMaxAgeMs) return;
		const controller = new AbortController();
		services.advice(snapshot!, {signal: controller.signal, growth}).then(
			value => {
				entry.advice = {at: Date.now(), value: value.suggestions};
				if (!controller.signal.aborted) setAdvice({status: 'done', value: value.suggestions});
			},
			error => {
				if (!controller.signal.aborted) setAdvice({status: 'error', error: formatError(error)});
			},
		);
		return () => controller.abort();
	}, [services, ready]);

	if (!services) return {drills: noServices, advice: noServices};
	return {drills, advice, focus: measured ? focus : undefined};
}
