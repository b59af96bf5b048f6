import {scanDeletedOpen} from '../adapters/proc/deleted-open-scan.js';
import {truncateOpenFile} from '../adapters/proc/truncate-open-file.js';
import {tryFilesystemStats} from '../adapters/fs/statfs.js';
import {attachDeletedOpen, hostEngine} from '../domain/deleted-open.js';
import type {PrunePlan} from '../domain/prune-plan.js';
import type {EngineSnapshot} from '../domain/types.js';
import type {EngineMutationTarget} from './mutations.js';

/**
 * The host's open files as a mutation target (truncating deleted files held open). Only
 * services/mutations.ts's factory should build it. Re-validation rescans the planned pids.
 */
export function procMutationTarget(proc = '/proc'): EngineMutationTarget {
	let probe: string | undefined;
	return {
		endpoint: proc,
		remover: {
			async remove(item) {
				if (item.kind !== 'open-file' || !item.openFile) throw new Error(`${item.kind} is not an open file`);
				truncateOpenFile(item.openFile, proc);
			},
		},
		async refresh(plan: PrunePlan): Promise<EngineSnapshot> {
			const refs = plan.items.flatMap(i => (i.kind === 'open-file' && i.openFile ? [i.openFile] : []));
			const first = refs[0];
			// statfs through the open file: the filesystem its bytes are on (an overlay reports its upper one).
			probe = first ? `${proc}/${first.pid}/fd/${first.fd}` : undefined;
			const engine: EngineSnapshot = {
				runtime: {id: hostEngine, kind: 'docker', name: 'host', endpoint: proc, version: '', storageDriver: '', backingFilesystem: ''},
				filesystem: null,
				containers: [],
				images: [],
				usage: {buildCache: null, volumes: null, layersSize: null},
				sizedByEngine: false,
				warnings: [],
			};
			const {files} = scanDeletedOpen({devices: new Set(refs.map(r => r.device)), pids: [...new Set(refs.map(r => r.pid))], proc});
			const devices = [...new Set(files.map(f => f.device))];
			// attach needs an engine per filesystem; holders are irrelevant for re-validation.
			const perDevice = devices.map(device => ({...engine, filesystem: {path: proc, sizeBytes: 0, usedBytes: 0, availableBytes: 0, inodesTotal: 0, inodesFree: 0, device}}));
			return {...engine, deletedOpen: attachDeletedOpen(perDevice, files).flatMap(e => e.deletedOpen ?? [])};
		},
		filesystem: () => tryFilesystemStats(probe),
	};
}
