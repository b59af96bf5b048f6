import type {DockerClient} from '../adapters/docker/docker-client.js';
import {imageHistory, imageLayerDirs, layerWhiteouts} from '../adapters/docker/image-layers.js';
import {historyFindings, whiteoutFindings, type ImageFinding} from '../domain/image-findings.js';
import type {EngineSnapshot} from '../domain/types.js';
import {mapLimit} from '../lib/map-limit.js';

export interface ImageFindings {
	engine: string;
	image: string;
	imageId: string;
	findings: ImageFinding[];
}

/** History and layer-whiteout findings for the largest `limit` images of a Docker engine. */
export async function dockerImageFindings(client: DockerClient, engine: EngineSnapshot, limit = 40): Promise<ImageFindings[]> {
	// Dangling images are old builds of tagged ones: their findings would repeat; they are cleanup items.
	const images = engine.images
		.filter(i => i.tags.length > 0)
		.sort((a, b) => b.virtualBytes - a.virtualBytes)
		.slice(0, limit);
	const results = await mapLimit(images, 4, async image => {
		try {
			const history = await imageHistory(client, image.id);
			const dirs = client.endpoint.local ? await imageLayerDirs(client, image.id) : null;
			const findings = [...historyFindings(history), ...(dirs ? whiteoutFindings(layerWhiteouts(dirs)) : [])];
			return {engine: engine.runtime.id, image: image.tags[0] ?? image.id.slice(7, 19), imageId: image.id, findings};
		} catch {
			return null; // removed meanwhile
		}
	});
	return results.filter((r): r is ImageFindings => r !== null && r.findings.length > 0);
}
