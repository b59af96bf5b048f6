import {dockerEventSource} from '../adapters/docker/docker-events.js';
import type {DockerReader} from '../adapters/docker/docker-reader.js';
import {EngineWatch, type StartableFeed} from './engine-watch.js';

/**
 * A Docker-compatible engine's sampler, kept live by the engine's /events stream. Podman's
 * docker-compatible socket serves the same stream: pass its reader and sampler alike.
 */
export function watchDocker(reader: DockerReader, sampler: StartableFeed): EngineWatch {
	return new EngineWatch(sampler, reader, dockerEventSource(reader.client), {
		probe: timeoutMs => reader.client.call('ping', (d: any, abortSignal) => d.ping({abortSignal}), {timeoutMs}),
	});
}
