import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { Commune } from '../../contract/operation.js';
import { resourcesDir } from '../paths.js';

const fileSchema = z.object({
  source: z.string(),
  communes: z
    .array(
      z.object({
        id: z.string().min(1),
        name: z.string().min(1),
        province: z.enum(['Sud', 'Nord', 'Îles Loyauté']),
        note: z.string().optional(),
      }),
    )
    .length(33),
});

let cache: Commune[] | null = null;

/** The 33 communes of New Caledonia (resources/communes.json), sorted in French order. */
export const loadCommunes = (): Commune[] => {
  if (cache === null) {
    const parsed = fileSchema.parse(JSON.parse(readFileSync(join(resourcesDir(), 'communes.json'), 'utf8')));
    cache = parsed.communes.map(({ id, name, province }) => ({ id, name, province }));
  }
  return cache;
};

export const findCommune = (id: string): Commune | undefined => loadCommunes().find((c) => c.id === id);
