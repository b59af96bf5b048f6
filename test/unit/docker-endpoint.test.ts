import {describe, expect, it} from 'vitest';
import {resolveDockerEndpoint} from '../../source/adapters/docker/endpoint.js';
import {chainIds, layersFromHistory} from '../../source/adapters/docker/layer-sizes.js';

describe('Docker endpoint', () => {
	it('prefers --host, then DOCKER_HOST, then the default socket', () => {
		expect(resolveDockerEndpoint('unix:///a.sock', {DOCKER_HOST: 'unix:///b.sock'}).socketPath).toBe('/a.sock');
		expect(resolveDockerEndpoint(undefined, {DOCKER_HOST: 'unix:///b.sock'}).socketPath).toBe('/b.sock');
		expect(resolveDockerEndpoint(undefined, {}).display).toBe('unix:///var/run/docker.sock');
	});
	it('tcp endpoints are remote', () => {
		expect(resolveDockerEndpoint('tcp://10.0.0.5:2375', {})).toMatchObject({host: '10.0.0.5', port: 2375, local: false, protocol: 'http'});
	});
	it('rejects what it cannot use, in one line', () => {
		expect(() => resolveDockerEndpoint('ssh://box', {})).toThrow(/^unsupported Docker host "ssh:\/\/box"/);
		expect(() => resolveDockerEndpoint('unix://relative.sock', {})).toThrow(/must be absolute/);
	});
});

describe('layer chain ids', () => {
	it('match Docker: chain[i] = sha256(chain[i-1] + " " + diff[i])', () => {
		const diffs = ['sha256:' + 'a'.repeat(64), 'sha256:' + 'b'.repeat(64)];
		const chain = chainIds(diffs);
		expect(chain[0]).toBe(diffs[0]);
		expect(chain[1]).toMatch(/^sha256:[0-9a-f]{64}$/);
		expect(chain[1]).not.toBe(diffs[1]);
	});
	it('history sizes are matched to layers from the top', () => {
		const diffs = ['sha256:1', 'sha256:2', 'sha256:3'];
		const layers = layersFromHistory(diffs, [{Size: 0}, {Size: 30}, {Size: 20}, {Size: 10}]);
		expect(layers.map(l => l.bytes)).toEqual([10, 20, 30]);
	});
});
