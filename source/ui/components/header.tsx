import {memo} from 'react';
import {Box, Text} from 'ink';
import {describeThreshold, thresholdOriginLabel, type EvictionThresholds} from '../../domain/eviction.js';
import {count, duration, percent} from '../../domain/format.js';
import {sanitize} from '../../domain/sanitize.js';
import {truncate as truncateWidth} from '../model/fit.js';
import type {NodeSnapshot} from '../../domain/types.js';
import type {ScanProgress} from '../../services/docker-scan.js';
import {ago, bar, bytes, growthPerMinute, levelColor} from '../model/formatting.js';
import type {FilesystemGroup} from '../model/node-model.js';

export interface HeaderProps {
	snapshot: NodeSnapshot | null;
	groups: FilesystemGroup[];
	width: number;
	now: number;
	refreshedAt: number | null;
	intervalMs: number;
	progress: ScanProgress | null;
	error: string | null;
	thresholds: EvictionThresholds;
	/** The engine is known gone (its event stream broke): STALE at once, whatever the data's age. */
	lost?: {at: number; reason: string} | null;
}

/** Data older than this many intervals is marked STALE. */
export const staleAfterIntervals = 3;

function engineText(snapshot: NodeSnapshot | null): string {
	if (!snapshot) return 'connecting…';
	return snapshot.engines.map(e => sanitize(`${e.runtime.name} ${e.runtime.version} ${e.runtime.endpoint}`)).join(' · ');
}

function statusText(props: HeaderProps): {text: string; stale: boolean} {
	const {refreshedAt, now, intervalMs} = props;
	if (refreshedAt === null) return {text: '', stale: false};
	const age = now - refreshedAt;
	// "refreshed" only for data the engine gave since it was last heard from.
	const stale = Boolean(props.lost) || age > staleAfterIntervals * intervalMs;
	return {text: stale ? ` STALE ${ago(age)} ` : `refreshed ${ago(age)}`, stale};
}

export const Header = memo(function Header(props: HeaderProps) {
	const {width, groups} = props;
	const status = statusText(props);
	const title = truncateWidth(`layerscope  ${engineText(props.snapshot)}`, Math.max(10, width - status.text.length - 1));
	return (
		<Box flexDirection="column" width={width}>
			<Box justifyContent="space-between" width={width}>
				<Text bold>{title}</Text>
				{status.stale ? (
					<Text inverse color="red" bold>
						{status.text}
					</Text>
				) : (
					<Text dimColor>{status.text}</Text>
				)}
			</Box>
			{groups.length === 0 ? (
				<>
					<Text>{truncateWidth(props.error ? `error: ${props.error}` : 'reading the engine…', width)}</Text>
					<Text> </Text>
				</>
			) : (
				groups.map((group, i) => <FilesystemLines key={i} group={group} width={width} thresholds={props.thresholds} />)
			)}
		</Box>
	);
});

function FilesystemLines({group, width, thresholds}: {group: FilesystemGroup; width: number; thresholds: EvictionThresholds}) {
	const {fs, pressure} = group;
	if (!fs || !pressure) {
		return (
			<>
				<Text dimColor>{truncateWidth('filesystem not readable here (remote engine or not root)', width)}</Text>
				<Text>{truncateWidth(`growth ${growthPerMinute(group.growth)}/min`, width)}</Text>
			</>
		);
	}
	const fraction = fs.sizeBytes ? fs.usedBytes / fs.sizeBytes : 0;
	const figures = ` ${percent(fs.usedBytes, fs.sizeBytes)} ${bytes(fs.usedBytes)}/${bytes(fs.sizeBytes)}`;
	const inodes = `  inodes ${percent(fs.inodesTotal - fs.inodesFree, fs.inodesTotal)} of ${count(fs.inodesTotal)}`;
	const label = truncateWidth(`disk ${sanitize(fs.path)} `, Math.max(6, Math.floor(width / 4)));
	const barWidth = Math.max(6, Math.min(30, width - label.length - figures.length - inodes.length - 2));
	const signal = `${pressure.signal}<${describeThreshold(pressure.signal === 'imagefs.available' ? thresholds.imagefsAvailable : thresholds.nodefsAvailable)}`;
	const when = (seconds: number | null) => (seconds === null ? '—' : seconds === 0 ? 'now' : `in ${duration(seconds)}`);
	const eta = when(group.eta);
	// Where a kubelet collects images: which comes first at this growth, its image GC or eviction.
	const order = group.reclaim;
	const gcFirst = order?.enabled && order.first === 'image-gc' ? `image GC ${when(order.imageGcEta)}, ` : '';
	const gcAfter = !order ? '' : !order.enabled ? ' (image GC off)' : order.first === 'eviction' ? `, image GC ${when(order.imageGcEta)}` : '';
	const source = thresholdOriginLabel(thresholds);
	return (
		<>
			<Text wrap="truncate-end">
				{label}
				<Text color={levelColor[pressure.space]}>{bar(fraction, barWidth)}</Text>
				<Text color={levelColor[pressure.space]} bold={pressure.space !== 'ok'}>
					{figures}
				</Text>
				<Text color={levelColor[pressure.inodes]}>{inodes}</Text>
			</Text>
			<Text wrap="truncate-end">
				{`growth ${growthPerMinute(group.growth)}/min${group.logGrowth > 0 ? ` (logs ${growthPerMinute(group.logGrowth)})` : ''}  ${gcFirst}eviction `}
				<Text color={group.eta !== null && group.eta < 3600 ? 'red' : undefined} bold>
					{eta}
				</Text>
				{gcAfter}
				<Text dimColor>{`  (${signal}, ${source})`}</Text>
			</Text>
		</>
	);
}
