import {Box, Text} from 'ink';
import {compactAge} from '../../domain/format.js';
import {confirmationWord, needsTypedConfirmation, type PlanItem} from '../../domain/prune-plan.js';
import {sanitize} from '../../domain/sanitize.js';
import {ConfirmPrompt} from '../components/confirm-prompt.js';
import {fit, truncate} from '../model/fit.js';
import {bytes} from '../model/formatting.js';
import {chosenPlan, selectedCount, type PlanDraft} from '../model/plan-selection.js';
import type {ConfirmState} from '../state/confirm-state.js';

export interface PlanViewProps {
	draft: PlanDraft;
	cursor: number;
	top: number;
	width: number;
	height: number;
	confirm: ConfirmState | null;
	notice: string | null;
	/** Read-only: why nothing can be confirmed. */
	disabled: string | null;
	/** When the plan's data was read: build-cache records show how long before that they were last used. */
	now?: number;
}

/** Title, column header, total, info line and the two prompt lines. */
export const planChrome = 6;

export const shortId = (id: string) => sanitize(id.replace(/^sha256:/, '').slice(0, 12));

/** "3h", "2d": how long before `now` a build-cache record was last used. */
export function age(item: PlanItem, now: number | undefined): string | null {
	if (item.kind !== 'build-cache') return null;
	if (item.lastUsedAt === undefined || now === undefined) return '?';
	return compactAge(now - item.lastUsedAt);
}

function itemLine(item: PlanItem, on: boolean, at: boolean, width: number, now: number | undefined): string {
	const kind = item.kind === 'volume' && item.named ? 'named vol' : item.kind === 'build-cache' ? 'cache' : item.kind;
	const used = age(item, now);
	const name = used === null ? sanitize(item.name) : `${used.padStart(4)} ago  ${sanitize(item.name)}`;
	const nameWidth = Math.max(4, width - 5 - 11 - 14 - 10);
	return `${at ? '›' : ' '}${on ? '[x]' : '[ ]'} ${fit(kind, 10)} ${fit(shortId(item.id), 13)} ${fit(name, nameWidth)}${fit(bytes(item.bytes), 10, 'right')}`;
}

export function PlanView({draft, cursor, top, width, height, confirm, notice, disabled, now}: PlanViewProps) {
	const rows = Math.max(1, height - planChrome);
	const items = draft.plan.items;
	const plan = chosenPlan(draft);
	const typed = plan.items.length > 0 && needsTypedConfirmation(plan);
	const info = notice
		? sanitize(notice)
		: disabled
			? sanitize(disabled)
			: typed
				? `over 1 GiB or holds a volume: you will type "${confirmationWord(plan)}" to confirm`
				: draft.individual
					? 'nothing is selected until you pick it: space toggles the item at the cursor'
					: plan.caveat
						? sanitize(plan.caveat)
						: plan.note
							? sanitize(plan.note)
							: '';
	const position = items.length > rows ? `  [${top + 1}-${Math.min(items.length, top + rows)} of ${items.length}]` : '';
	return (
		<Box flexDirection="column" width={width} height={height}>
			<Text bold wrap="truncate-end">
				{truncate(`Plan: ${sanitize(draft.plan.title)}${position}`, width)}
			</Text>
			<Text dimColor wrap="truncate-end">
				{truncate(`     ${fit('KIND', 10)} ${fit('ID', 13)} ${fit(items.some(i => i.kind === 'build-cache') ? 'LAST USED  NAME' : 'NAME', Math.max(4, width - 40))}${fit('SIZE', 10, 'right')}`, width)}
			</Text>
			<Box flexDirection="column" height={rows}>
				{items.slice(top, top + rows).map((item, i) => (
					<Text key={top + i} inverse={top + i === cursor && !confirm} wrap="truncate-end">
						{truncate(itemLine(item, Boolean(draft.selected[top + i]), top + i === cursor && !confirm, width, now), width)}
					</Text>
				))}
			</Box>
			<Text bold wrap="truncate-end">
				{truncate(`Selected ${selectedCount(draft)} of ${items.length} · estimated reclaim ${bytes(plan.totalBytes)} (together) · each item is re-checked before removal`, width)}
			</Text>
			<Text color={disabled || notice ? 'yellow' : undefined} wrap="truncate-end">
				{truncate(info, width)}
			</Text>
			{confirm ? (
				<ConfirmPrompt state={confirm} items={plan.items.length} totalBytes={plan.totalBytes} width={width} />
			) : (
				<>
					<Text dimColor wrap="truncate-end">
						{truncate(`↑↓ scroll  space toggle  * all/none${items.some(i => i.kind === 'build-cache') ? '  c other build-cache choice' : ''}`, width)}
					</Text>
					<Text dimColor wrap="truncate-end">
						{truncate(disabled ? 'Enter/y try to confirm (disabled)  Esc back  q quit' : 'Enter/y confirm…  Esc back  q quit', width)}
					</Text>
				</>
			)}
		</Box>
	);
}
