// The status bar text: what needs attention now (immediate and out-of-cycle findings) and
// whether decisions reach the team's store. Pure, so every combination is unit-tested.

import { BucketCounts } from './grouping';
import { StoreStatus } from './protocol';

export type ServerState = 'starting' | 'running' | 'stopped' | 'failed';

export interface StatusView {
  text: string;
  tooltip: string;
  alert: 'error' | 'warning' | undefined;
}

export function statusView(server: ServerState, counts: BucketCounts, total: number, store: StoreStatus | undefined): StatusView {
  if (server === 'failed') {
    return { text: '$(error) aspm', tooltip: 'aspm-ls is not running. Click to see its log.', alert: 'error' };
  }
  if (server === 'starting') {
    return { text: '$(sync~spin) aspm', tooltip: 'aspm-ls is starting', alert: undefined };
  }
  if (server === 'stopped') {
    return { text: '$(circle-slash) aspm', tooltip: 'aspm-ls is stopped', alert: undefined };
  }
  const urgent = counts.immediate + counts['out-of-cycle'];
  const parts = [`$(shield) ${counts.immediate} immediate`, `${counts['out-of-cycle']} out-of-cycle`];
  const tooltip = [
    `${counts.immediate} immediate, ${counts['out-of-cycle']} out-of-cycle, ${counts.scheduled} scheduled, ` +
      `${counts.backlog} backlog open (${total} findings in all)`,
  ];
  let alert: StatusView['alert'] = counts.immediate > 0 ? 'error' : urgent > 0 ? 'warning' : undefined;
  switch (store?.state) {
    case undefined:
    case 'disabled':
      tooltip.push('No finding store configured: triage decisions stay on this machine.');
      break;
    case 'synced':
      parts.push('$(cloud) synced');
      tooltip.push('Store: synced');
      break;
    case 'syncing':
      parts.push('$(sync~spin) syncing');
      tooltip.push('Store: syncing');
      break;
    case 'offline': {
      const q = store.queued ?? 0;
      parts.push(`$(cloud-offline) offline, ${q} queued`);
      tooltip.push(`Store: offline; ${q} decision${q === 1 ? '' : 's'} queued, sent when it is back`);
      break;
    }
    case 'error':
      parts.push('$(warning) store error');
      tooltip.push(`Store: ${store.message ?? 'error'}`);
      alert = alert ?? 'warning';
      break;
  }
  return { text: parts.join(' · '), tooltip: tooltip.join('\n'), alert };
}
