import type { Migration } from '../../store/types.js';
import { migration as m0001 } from './0001_trust.js';
import { migration as m0002 } from './0002_witness.js';

export const migrations: readonly Migration[] = [m0001, m0002];
