import {Box, Text} from 'ink';
import {sanitize} from '../../domain/sanitize.js';
import type {PrunePlan} from '../../domain/prune-plan.js';
import {reclaimWarning} from '../../domain/reclaim-estimate.js';
import type {ExecutionResult, ItemOutcome} from '../../services/mutations.js';
import {fit, truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {shortId} from './plan-view.js';

export interface ResultViewProps {
	plan: PrunePlan;
	outcomes: readonly ItemOutcome[];
	/** null while running. */
	result: ExecutionResult | null;
	/** First outcome shown once done (↑↓ scroll). */
	top?: number;
	width: number;
	height: number;
}

const color = {removed: 'green', skipped: 'yellow', failed: 'red'} as const;

function outcomeLine(o: ItemOutcome, width: number): string {
	const head = `${fit(o.outcome, 8)} ${fit(o.item.kind, 11)} ${fit(shortId(o.item.id), 13)} `;
	const tail = o.reason ? `  ${sanitize(o.reason)}` : o.measuredBytes !== null ? `  freed ${bytes(o.measuredBytes)}` : '';
	return truncate(head + truncate(sanitize(o.item.name), Math.max(4, width - head.length - Math.min(tail.length, 40))) + tail, width);
}

function measured(result: ExecutionResult): string {
	const removed = result.removedEstimatedBytes ?? result.estimatedBytes;
	const estimate = removed === result.estimatedBytes ? `estimated ${bytes(removed)}` : `estimated ${bytes(removed)} for what was removed (plan ${bytes(result.estimatedBytes)})`;
	if (result.measuredBytes === null) return `${estimate} · measured: not measurable here (statfs needs a local engine)`;
	return `${estimate} · measured ${bytes(Math.max(0, result.measuredBytes))} more free space (statfs before/after)`;
}

/** The check that measured and estimated agree; a warning with the likely cause when they do not. */
export function reclaimCheckWarning(result: ExecutionResult): string | null {
	const kinds = [...new Set(result.outcomes.filter(o => o.outcome === 'removed').map(o => o.item.kind))];
	return reclaimWarning({estimatedBytes: result.removedEstimatedBytes ?? result.estimatedBytes, measuredBytes: result.measuredBytes, kinds, caveat: result.caveat});
}

/** Live per-item progress while removing, then each item's outcome and the measured reclaim. */
export function ResultView({plan, outcomes, result, top = 0, width, height}: ResultViewProps) {
	const check = result ? reclaimCheckWarning(result) : null;
	const warnings = [...(result?.warnings ?? []), ...(check ? [check] : [])];
	const rows = Math.max(1, height - 4 - warnings.length);
	const count = (what: ItemOutcome['outcome']) => outcomes.filter(o => o.outcome === what).length;
	const title = result ? `Done: ${count('removed')} removed, ${count('skipped')} skipped, ${count('failed')} failed` : `Removing ${plan.items.length} item(s)… ${outcomes.length}/${plan.items.length}`;
	// While running, keep the newest outcomes in view.
	const shown = result ? outcomes.slice(top, top + rows) : outcomes.slice(-rows);
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{truncate(`${title} · ${sanitize(plan.title)}`, width)}
			</Text>
			<Box flexDirection="column" height={rows}>
				{shown.map((o, i) => (
					<Text key={i} color={color[o.outcome]} wrap="truncate-end">
						{outcomeLine(o, width)}
					</Text>
				))}
			</Box>
			{warnings.map((w, i) => (
				<Text key={i} color="red" bold wrap="truncate-end">
					{truncate(`warning: ${sanitize(w)}`, width)}
				</Text>
			))}
			<Text bold wrap="truncate-end">
				{truncate(result ? measured(result) : 'each item is re-checked and removed by id…', width)}
			</Text>
			<Text dimColor wrap="truncate-end">
				{truncate(result ? (outcomes.length > rows ? `↑↓ scroll (${top + 1}-${Math.min(outcomes.length, top + rows)} of ${outcomes.length})  ` : '') + 'Enter/Esc back to the suggestions (refreshed)  q quit' : 'please wait', width)}
			</Text>
		</Box>
	);
}
