import {execFileSync} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

/** Debian's client has buildx-less BuildKit support; the newer client at /usr/local/bin lacks it. */
const debianDocker = '/usr/bin/docker';

/** BuildKit build of a Dockerfile text into `tag`, on the lab engine (no network: the bridge is off). */
export function buildImage(dockerHost: string, tag: string, dockerfile: string, files: Record<string, string> = {}): void {
	const ctx = mkdtempSync(join(tmpdir(), 'ls-build-'));
	try {
		writeFileSync(join(ctx, 'Dockerfile'), dockerfile);
		for (const [name, text] of Object.entries(files)) writeFileSync(join(ctx, name), text);
		execFileSync(debianDocker, ['build', '--network=none', '-q', '-t', tag, ctx], {
			env: {...process.env, DOCKER_HOST: dockerHost, DOCKER_BUILDKIT: '1'},
			stdio: ['ignore', 'ignore', 'pipe'],
		});
	} finally {
		rmSync(ctx, {recursive: true, force: true});
	}
}
