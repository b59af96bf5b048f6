import {Text} from 'ink';
import {count} from '../../domain/format.js';
import type {DrillProgress, DrillTotals} from '../../domain/drill-model.js';
import {bytes} from '../model/formatting.js';

/** Walk errors as the status line shows them (empty when there are none). */
export function errorsText(totals: DrillTotals): string {
	const {denied, vanished, tooLong, other} = totals.errors;
	if (denied + vanished + tooLong + other === 0) return '';
	const parts = [`${denied} unreadable`, `${vanished} vanished`];
	if (tooLong) parts.push(`${tooLong} too long (not walked)`);
	if (other) parts.push(`${other} other errors`);
	return parts.join(', ');
}

/** A running walk, as every screen that walks with the drill-down walker says it. */
export const walkingLabel = (progress: DrillProgress | null, before: string) => (progress ? `walking… ${count(progress.entries)} entries, ${count(progress.dirsDone)} dirs so far` : before);

function totalsText(totals: DrillTotals, marks: boolean): string {
	return `${bytes(totals.allocatedBytes)} allocated, ${bytes(totals.apparentBytes)} apparent · ${count(totals.files)} files${marks ? ` · A ${totals.marks.A} C ${totals.marks.C} D ${totals.marks.D}` : ''}`;
}

export interface WalkStatusProps {
	label: string;
	color?: string;
	totals: DrillTotals | null;
	/** A/C/D counts: a writable layer has them; the rest of a filesystem does not. */
	marks?: boolean;
}

/**
 * The drill-down walker's status line: what the walk is doing (or how it ended), its
 * errors, and its totals so far. The drill-down and the "other files" walk both show it.
 */
export function WalkStatus({label, color, totals, marks = true}: WalkStatusProps) {
	const errors = totals ? errorsText(totals) : '';
	return (
		<Text wrap="truncate-end">
			<Text color={color}>{label}</Text>
			{errors ? <Text color="yellow">{` · ${errors}`}</Text> : null}
			<Text>{totals ? ` · ${totalsText(totals, marks)}` : ''}</Text>
		</Text>
	);
}
