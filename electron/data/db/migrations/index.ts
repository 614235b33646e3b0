// The ordered list of schema migrations. Add a new file NNN_name.ts and append it here; never edit a shipped one.
import type { Migration } from '../migrate.ts';
import { migration001 } from './001_init.ts';
import { migration002 } from './002_search.ts';
import { migration003 } from './003_search_speed.ts';
import { migration004 } from './004_summary_totals.ts';
import { migration005 } from './005_sync_speed.ts';
import { migration006 } from './006_sync_verdict.ts';
import { migration007 } from './007_contact_pending.ts';
import { migration008 } from './008_filter_indexes.ts';
import { migration009 } from './009_costs.ts';
import { migration010 } from './010_auto_sync.ts';
import { migration011 } from './011_search_tail.ts';
import { migration012 } from './012_sort_indexes.ts';
import { migration013 } from './013_covering_sort_indexes.ts';
import { migration014 } from './014_day_summary_index.ts';
import { migration015 } from './015_account_order_index.ts';
import { migration016 } from './016_filters_by_id_index.ts';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007, migration008, migration009, migration010, migration011, migration012, migration013, migration014, migration015, migration016];
