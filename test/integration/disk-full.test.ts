import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmdirSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {afterAll, beforeAll, describe, expect, it} from 'vitest';
import {DockerClient} from '../../source/adapters/docker/docker-client.js';
import {DockerReader} from '../../source/adapters/docker/docker-reader.js';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {makePlan} from '../../source/domain/prune-plan.js';
import {AuditLog} from '../../source/services/audit-log.js';
import {dockerMutationTarget} from '../../source/services/docker-target.js';
import {MutationService} from '../../source/services/mutations.js';
import {runCli} from '../helpers/cli.js';
import {lab, labDocker, runContainer} from '../helpers/lab.js';

describe('a 100% full disk where layerscope writes its own files', () => {
	let full: string;

	beforeAll(() => {
		// A real filesystem with no space left: a tiny tmpfs filled to the last byte.
		full = mkdtempSync(join(tmpdir(), 'ls-full-'));
		execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', full]);
		try {
			execFileSync('dd', ['if=/dev/zero', `of=${join(full, 'filler')}`, 'bs=4k'], {stdio: 'ignore'});
		} catch {
			// dd stops with ENOSPC: that is the point
		}
		expect(() => writeFileSync(join(full, 'probe'), 'x'.repeat(8192))).toThrow(/ENOSPC/);
	});
	afterAll(() => {
		execFileSync('umount', ['-l', full]);
		rmdirSync(full);
	});

	it('still removes what was confirmed, and reports the failed audit write instead of failing', async () => {
		await runContainer(labDocker(), 'ls-full-stopped', 'true', {wait: true});
		const reader = new DockerReader(new DockerClient(resolveDockerEndpoint(lab().dockerHost)));
		const runtime = await reader.runtime();
		const service = new MutationService(new Map([['docker', dockerMutationTarget(reader, runtime.rootDir)]]), new AuditLog(join(full, 'layerscope', 'actions.jsonl')));
		const id = (await labDocker().getContainer('ls-full-stopped').inspect()).Id;
		const result = await service.execute(makePlan('one', [{kind: 'container', engine: 'docker', id, name: 'ls-full-stopped', bytes: 0, chosen: true}]));
		expect(result.outcomes[0]!.outcome).toBe('removed');
		expect(result.warnings).toHaveLength(1);
		expect(result.warnings[0]).toMatch(/^audit log .*actions\.jsonl not written: ENOSPC$/);
	});

	it('report --output to a full disk is a one-line error, exit 2', async () => {
		const r = await runCli(['report', '--runtime', 'docker', '--output', join(full, 'report.txt')], {DOCKER_HOST: lab().dockerHost});
		expect(r.code).toBe(2);
		expect(r.stderr.trim().split('\n')).toHaveLength(1);
		expect(r.stderr).toMatch(/ENOSPC/);
	});
});
