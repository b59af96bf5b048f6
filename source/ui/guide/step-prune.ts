/** Step 6: confirming a prune; in read-only mode, exactly what would happen. Pure. */
import {confirmationWord, needsTypedConfirmation, type PrunePlan} from '../../domain/prune-plan.js';
import {sanitize} from '../../domain/sanitize.js';
import {truncateWidth} from '../../domain/text-width.js';
import {fit} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {line, type GuideInput, type GuideLine, type GuideStep} from './guide-model.js';

/** The cleanup plan that frees the most. */
export function examplePlan(input: GuideInput): PrunePlan | null {
	if (input.advice.status !== 'done') return null;
	const plans = input.advice.value.flatMap(s => (s.kind === 'cleanup' && s.plan ? [s.plan] : []));
	return plans.sort((a, b) => b.totalBytes - a.totalBytes)[0] ?? null;
}

function modeLine(input: GuideInput): GuideLine {
	if (!input.readOnly) return line('The guide only reads: it removes nothing.', 'dim');
	if (input.readOnly.on) return line(`READ-ONLY (${sanitize(input.readOnly.source ?? 'on')}): nothing can be removed in this session; this is exactly what would happen.`, 'warn', 0);
	return line('The guide itself removes nothing; this is exactly what a prune of this plan would do.', 'plain', 0);
}

export function pruneStep(input: GuideInput): GuideStep {
	const figures: GuideLine[] = [modeLine(input)];
	const plan = examplePlan(input);
	if (input.advice.status === 'loading') figures.push(line('computing the cleanup plans…', 'dim'));
	else if (!plan) figures.push(line('No cleanup plan on this node: nothing is reclaimable right now. A plan lists each stopped container, unused image or cache record by id, with its size.', 'good', 0));
	else {
		figures.push(line(`Plan: ${sanitize(plan.title)} — ${plan.items.length} item(s), ${bytes(plan.totalBytes)} in total`, 'heading'));
		const shown = plan.items.slice(0, 6);
		for (const item of shown) {
			figures.push(line(`  ${fit(item.kind, 12)}${fit(truncateWidth(sanitize(item.name), 40), 40)}${fit(bytes(item.bytes), 10, 'right')}  ${item.id.replace(/^sha256:/, '').slice(0, 12)}`, 'plain'));
		}
		if (plan.items.length > shown.length) figures.push(line(`  … and ${plan.items.length - shown.length} more`, 'dim'));
		const gc = input.advice.status === 'done' ? input.advice.value.find(s => s.plan === plan)?.kubeletImageGc : undefined;
		if (gc) figures.push(line(`The kubelet deletes these images itself at ${gc.highPercent}% disk usage (imageGCHighThresholdPercent), down to ${gc.lowPercent}%: removing them by hand is optional.`, 'dim', 0));
		const confirm = needsTypedConfirmation(plan) ? `typing "${confirmationWord(plan)}"` : 'a y/n confirmation';
		figures.push(line(`Executing it needs ${confirm}; each item is checked again first, then removed by its id.`, 'plain', 0));
	}
	const actions = input.actionsKey ? ` To act for real, leave the guide and press ${input.actionsKey} to open actions.` : '';
	return {
		number: 6,
		title: 'Confirming a prune',
		figures,
		explain: [
			`A prune is planned before it runs: the exact ids and sizes above. At execution every item is re-validated against a fresh scan (still stopped? still unused?), anything that changed is skipped, and each removal is measured and written to the audit log. In read-only mode the remove service is never even built.${actions}`,
		],
		handOver: {screen: 'overview', label: 'overview'},
		pending: input.advice.status === 'loading',
	};
}
