import {Box, Text} from 'ink';
import type {DrillProgress, DrillTree} from '../../domain/drill-model.js';
import {sanitize} from '../../domain/sanitize.js';
import {truncate} from '../model/fit.js';
import {bytes, growthPerMinute} from '../model/formatting.js';
import type {HeaviestPath, SizeMode} from '../model/drill-rows.js';
import {WalkStatus, walkingLabel} from './walk-status.js';

export const approximateLabel = 'approximate (engine changes + archive stats)';

/** Warnings other than the error counts (shown on the status line already). */
export function extraWarnings(tree: DrillTree | null): string[] {
	if (!tree) return [];
	const list = tree.warnings.filter(w => !/ unreadable, \d+ vanished/.test(w) && !(tree.approximate && w.startsWith('approximate')));
	if (tree.unwalked.length > 0) list.push(`not walked (path too long): ${tree.unwalked.slice(0, 3).join(', ')}`);
	return list;
}

export interface DrillHeaderProps {
	name: string;
	growth: number | null;
	tree: DrillTree | null;
	progress: DrillProgress | null;
	heaviest: HeaviestPath | null;
	path: string;
	mode: SizeMode;
	width: number;
}

/** Title, walk status (progress, approximate, errors), the heaviest path and the current directory. */
export function DrillHeader({name, growth, tree, progress, heaviest, path, mode, width}: DrillHeaderProps) {
	const totals = tree?.totals ?? progress?.totals ?? null;
	const growing = growth !== null && growth > 0 ? `  growing ${growthPerMinute(growth)}/min` : '';
	let label: string;
	let color: string | undefined;
	if (!tree) {
		label = walkingLabel(progress, 'walking the writable layer…');
		color = 'cyan';
	} else {
		label = tree.approximate ? approximateLabel : tree.complete ? 'walked on the host' : 'incomplete walk';
		color = tree.approximate || !tree.complete ? 'yellow' : undefined;
	}
	const warning = extraWarnings(tree)[0];
	const heavy = heaviest
		? `heaviest ${heaviest.path}  ${bytes(heaviest.row.size)}  ${heaviest.row.mark ?? ' '} ${heaviest.row.unreadable ? 'unreadable' : heaviest.row.class}`
		: tree
			? 'heaviest —  (nothing written)'
			: 'heaviest —  (when the walk is done)';
	const right = `sizes: ${mode} (b: ${mode === 'allocated' ? 'apparent' : 'allocated'})`;
	return (
		<Box flexDirection="column">
			<Text bold wrap="truncate-end">
				{truncate(`Writable layer of ${name}${growing}`, width)}
			</Text>
			<WalkStatus label={label} color={color} totals={totals} />
			{warning ? (
				<Text color="yellow" wrap="truncate-end">
					{truncate(`warning: ${sanitize(warning)}`, width)}
				</Text>
			) : null}
			<Text color="cyan" wrap="truncate-end">
				{truncate(heavy, width)}
			</Text>
			<Text wrap="truncate-end">
				<Text bold>{truncate(path, Math.max(1, width - right.length - 2))}</Text>
				<Text dimColor>{'  ' + right}</Text>
			</Text>
		</Box>
	);
}

/** Lines the header takes. */
export const drillHeaderLines = (tree: DrillTree | null) => 4 + (extraWarnings(tree).length > 0 ? 1 : 0);
