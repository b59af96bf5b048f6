/** Advice for deleted-but-open files: restart or signal the holder, or truncate through /proc. Pure. */
import {allDeletedOpen, holderKey, hostEngine, jsonPath} from './deleted-open.js';
import {bytes as fmt} from './format.js';
import {makePlan, type PlanItem, type PrunePlan} from './prune-plan.js';
import type {DeletedOpenFile, EngineSnapshot} from './types.js';

export interface DeletedOpenSuggestion {
	title: string;
	subject: string;
	bytes: number;
	reason: string;
	change: string;
	plan: PrunePlan;
}

/** Raw holder name (sanitised where shown). */
function holderName(file: DeletedOpenFile): string {
	const c = file.holder.container;
	if (c) return c.pod ? `${c.pod.namespace}/${c.pod.name}/${c.name}` : c.name;
	return `pid ${file.pid} (${file.command}${file.holder.unit ? `, ${file.holder.unit}` : ''})`;
}

export function openFileItem(file: DeletedOpenFile): PlanItem {
	return {
		kind: 'open-file',
		engine: hostEngine,
		id: `${file.pid}:${file.fd}`,
		name: `${jsonPath(file)} (pid ${file.pid} fd ${file.fd})`,
		bytes: file.allocatedBytes,
		chosen: true,
		openFile: {pid: file.pid, startTime: file.startTime, fd: file.fd, device: file.device, statDevice: file.statDevice, inode: file.inode},
	};
}

/** One suggestion per holder holding at least `minBytes` of deleted files. */
export function deletedOpenAdvice(engines: readonly EngineSnapshot[], minBytes: number): DeletedOpenSuggestion[] {
	const groups = new Map<string, DeletedOpenFile[]>();
	for (const file of allDeletedOpen(engines)) groups.set(holderKey(file), [...(groups.get(holderKey(file)) ?? []), file]);
	const out: DeletedOpenSuggestion[] = [];
	for (const files of groups.values()) {
		const total = files.reduce((t, f) => t + f.allocatedBytes, 0);
		if (total < minBytes) continue;
		const first = files[0]!;
		const who = holderName(first);
		const how = first.holder.container ? `restart the container ${who}` : `restart ${first.command} (pid ${first.pid})${first.holder.unit ? ` or its unit ${first.holder.unit}` : ''}`;
		out.push({
			title: 'Truncate deleted files held open',
			subject: who,
			bytes: total,
			reason: `${files.length} deleted file(s) still open, ${fmt(total)} on disk that no directory shows (largest: ${jsonPath(first)}, pid ${first.pid} fd ${first.fd})`,
			change: `${how}, or make it reopen its files (logrotate copytruncate, or its reopen signal such as SIGHUP/SIGUSR1); this plan instead truncates each file to 0 through /proc/PID/fd/N while the holder runs`,
			plan: makePlan(`Truncate deleted files held open by ${who}`, files.map(openFileItem)),
		});
	}
	return out;
}
