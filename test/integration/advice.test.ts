import {beforeAll, describe, expect, it} from 'vitest';
import type {Suggestion} from '../../source/domain/advise.js';
import {runCli} from '../helpers/cli.js';
import {buildImage} from '../helpers/docker-build.js';
import {busybox, lab, labDocker, runContainer} from '../helpers/lab.js';

describe('layerscope plan --json on real images', () => {
	let suggestions: Suggestion[];
	const bigBytes = 2048 * 1024;

	beforeAll(async () => {
		buildImage(
			lab().dockerHost,
			'ls-adv/app:1',
			[
				`FROM ${busybox}`,
				`RUN dd if=/dev/urandom of=/tmp/big.bin bs=1k count=${bigBytes / 1024} 2>/dev/null`,
				'RUN echo apt-get update > /var/tmp/index',
				'COPY . /app',
				'RUN echo "npm ci" && mkdir -p /app/node_modules && echo dep > /app/node_modules/dep.js',
				'RUN rm /tmp/big.bin /app/.env',
				'',
			].join('\n'),
			{'.env': 'API_TOKEN=not-a-real-secret\n', 'package.json': '{"name":"app"}\n'},
		);
		await runContainer(labDocker(), 'ls-adv-stopped', 'dd if=/dev/zero of=/x bs=1k count=64 2>/dev/null', {wait: true});
		const result = await runCli(['plan', '--json'], {DOCKER_HOST: lab().dockerHost});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
		suggestions = JSON.parse(result.stdout).suggestions;
	});

	const about = (image: string) => suggestions.filter(s => s.subject === image);

	it('finds bytes deleted in a later layer that still ship', () => {
		const finding = about('ls-adv/app:1').find(s => s.title.includes('deleted in later layer'))!;
		expect(finding.kind).toBe('redesign');
		expect(finding.bytes).toBeGreaterThanOrEqual(bigBytes);
		expect(finding.change).toMatch(/same RUN|multi-stage/);
	});

	it('flags a sensitive file hidden by a later layer, ranked first', () => {
		const finding = about('ls-adv/app:1').find(s => s.title.includes('sensitive file shipped'))!;
		expect(finding.reason).toContain('/app/.env');
		expect(suggestions[0]!.security).toBe(true);
	});

	it('reads layer order from history', () => {
		const titles = about('ls-adv/app:1').map(s => s.title);
		expect(titles).toContain('Image build: copy before install');
		expect(titles).toContain('Image build: index update alone');
	});

	it('offers cleanup plans that list their exact items', () => {
		const stopped = suggestions.find(s => s.kind === 'cleanup' && s.title === 'Remove stopped containers')!;
		expect(stopped.plan!.items.map(i => i.name)).toContain('ls-adv-stopped');
		expect(stopped.bytes).toBe(stopped.plan!.items.reduce((t, i) => t + i.bytes, 0));
	});
});
