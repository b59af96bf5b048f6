/** Step 5: cleanup vs redesign for what was found. Pure. */
import {advise, type Suggestion} from '../../domain/advise.js';
import {sanitize} from '../../domain/sanitize.js';
import {truncateWidth} from '../../domain/text-width.js';
import type {NodeSnapshot} from '../../domain/types.js';
import {containerClasses} from '../../services/container-classes.js';
import {bytes} from '../model/formatting.js';
import {wordsOf} from './guide-pick.js';
import {line, type DrilledContainer, type GuideInput, type GuideLine, type GuideStep} from './guide-model.js';

const same = (a: Suggestion, b: Suggestion) => a.kind === b.kind && a.title === b.title && a.subject === b.subject && a.engine === b.engine;

/**
 * The engine's advice, plus the redesigns the guide's own drill-down shows (the advice
 * service drills only the largest containers, which a young fast grower may not be yet),
 * with what is about the focus container first.
 */
export function guideSuggestions(suggestions: readonly Suggestion[], snapshot: NodeSnapshot | null, focus: DrilledContainer | null, found: readonly string[] = []): Suggestion[] {
	const all = [...suggestions];
	if (focus && snapshot) {
		const engines = snapshot.engines.filter(e => e.runtime.id === focus.record.engine).map(e => ({...e, containers: e.containers.filter(c => c.id === focus.record.id)}));
		const local = advise({engines, classes: [containerClasses(focus.tree)]}).filter(s => s.kind === 'redesign');
		for (const s of local) if (!all.some(o => same(o, s))) all.push(s);
	}
	// What the guide showed first: the focus container, then security, the copy-up/whiteout containers, cleanups.
	const rankOf = (s: Suggestion) => (focus && s.subject === focus.record.name ? 4 : s.security ? 3 : s.subject && found.includes(s.subject) ? 2 : s.kind === 'cleanup' ? 1 : 0);
	return all.sort((a, b) => rankOf(b) - rankOf(a) || b.bytes - a.bytes);
}

function suggestionLines(s: Suggestion): GuideLine[] {
	const head = `${s.kind === 'cleanup' ? 'CLEANUP ' : 'REDESIGN'} ${bytes(s.bytes).padStart(9)}  ${sanitize(s.title)}${s.subject ? ` (${sanitize(s.subject)})` : ''}`;
	const lines = [line(s.kind === 'cleanup' ? `${head}: ${s.plan?.items.length ?? 0} item(s)` : head, s.kind === 'cleanup' ? 'good' : s.security ? 'bad' : 'warn')];
	if (s.kind === 'cleanup') return lines;
	if (s.change) lines.push(line(`→ ${sanitize(s.change)}`, 'plain', 20));
	else lines.push(line(sanitize(s.reason), 'dim', 20));
	return lines;
}

export function adviceStep(input: GuideInput): GuideStep {
	const figures: GuideLine[] = [];
	const drills = input.drills.status === 'done' ? input.drills.value : null;
	const focus = drills?.focus ?? null;
	const found = [drills?.copyUp?.record.name, drills?.metadataCopyUp?.record.name, drills?.whiteout?.record.name].filter((n): n is string => Boolean(n));
	const drilling = input.drills.status === 'loading' && input.focus ? input.focus : null;
	if (drilling) figures.push(line(`drilling ${truncateWidth(sanitize(drilling.name), 40)} for its own findings…`, 'dim'));
	if (input.advice.status === 'loading') figures.push(line('reading image history and classifying the largest layers…', 'dim'));
	else if (input.advice.status !== 'done') figures.push(line(input.advice.status === 'error' ? `no advice: ${input.advice.error}` : input.advice.reason, 'warn'));
	else {
		const list = guideSuggestions(input.advice.value, input.snapshot, focus, found);
		const cleanups = list.filter(s => s.kind === 'cleanup');
		const freed = cleanups.reduce((t, s) => t + s.bytes, 0);
		figures.push(line(`${cleanups.length} cleanup plan(s) would free about ${bytes(freed)} now; ${list.length - cleanups.length} redesign finding(s).`, 'heading'));
		if (list.length === 0) figures.push(line('Nothing to suggest: no reclaimable items and no redesign findings.', 'good'));
		for (const s of list) figures.push(...suggestionLines(s));
	}
	const words = wordsOf(input.snapshot, focus?.record);
	return {
		number: 5,
		title: 'Cleanup or redesign?',
		figures,
		explain: [
			`A cleanup removes what nothing uses (stopped containers, unused images${words.kind === 'docker' ? ', build cache' : ''}): it frees bytes now, and they come back if the cause stays. A redesign changes the image or the deployment so the bytes stop piling up: ${words.redesignExamples}.`,
		],
		handOver: null,
		pending: input.advice.status === 'loading' || drilling !== null,
	};
}
