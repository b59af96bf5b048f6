import {Box} from 'ink';
import type {SortKey} from '../../domain/growth.js';
import type {FeedState} from '../../services/console-feed.js';
import {ContainerTable} from '../components/container-table.js';
import {Footer} from '../components/footer.js';
import {Header} from '../components/header.js';
import {LedgerPanel} from '../components/ledger-panel.js';
import type {OverviewLayout} from '../model/layout.js';
import type {FilesystemGroup} from '../model/node-model.js';
import type {GroupedRow} from '../model/pod-rows.js';

export interface OverviewProps {
	feed: FeedState;
	groups: FilesystemGroup[];
	rows: readonly GroupedRow[];
	layout: OverviewLayout;
	width: number;
	now: number;
	cursor: number;
	top: number;
	sort: SortKey;
	/** Rows grouped by pod (P); undefined on a node without pods (Kubernetes or Podman). */
	podGroups?: boolean;
}

export function Overview({feed, groups, rows, layout, width, now, cursor, top, sort, podGroups}: OverviewProps) {
	const engines = feed.snapshot?.engines.length ?? 1;
	const pods = feed.snapshot?.engines.some(e => e.containers.some(c => c.pod)) ? (podGroups ? 'on' : 'off') : null;
	return (
		<Box flexDirection="column" width={width}>
			<Header snapshot={feed.snapshot} groups={groups} width={width} now={now} refreshedAt={feed.refreshedAt} intervalMs={feed.intervalMs} progress={feed.progress} error={feed.error} thresholds={feed.thresholds} lost={feed.lost ?? null} />
			{layout.ledger !== 'hidden' ? groups.map((group, i) => <LedgerPanel key={i} group={group} width={width} mode={layout.ledger as 'full' | 'compact'} />) : null}
			<ContainerTable rows={rows} cursor={cursor} top={top} height={layout.tableRows} width={width} engines={engines} sort={sort} />
			<Footer width={width} sort={sort} progress={feed.progress} error={feed.error} notice={feed.notices[0]} position={rows.length ? `${cursor + 1}/${rows.length}` : ''} pods={pods} />
		</Box>
	);
}
