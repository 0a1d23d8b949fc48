import { worstImpact, type NotificationEvent } from '../rendering/notification';
import type { Route, Routing } from './routing-file';

/**
 * The destinations of one event, each once, in the order the routes name them. A route matches
 * when every filter it sets matches: the event type; the provider (registry type); any circuit
 * of the maintenance; any circuit's impact; any redundancy group touched. NO-IMPACT
 * maintenances (circuits listed, none affected) are quiet unless the route names NO-IMPACT (or
 * the file sets notifyNoImpact).
 * Unparsed notices carry no circuits, so routes filtering on circuits, impacts or groups skip them.
 */
export function destinationsFor(routing: Routing, n: NotificationEvent): string[] {
  const out = new Set<string>();
  for (const route of routing.routes) {
    if (matches(route, n, routing.notifyNoImpact)) for (const d of route.destinations) out.add(d);
  }
  return [...out];
}

function matches(route: Route, n: NotificationEvent, notifyNoImpact: boolean): boolean {
  if (!route.events.has(n.type)) return false;
  if (n.kind === 'device') {
    // Device events carry no provider nor circuits: only routes without those filters take them.
    return !route.providers && !route.circuits && !route.impacts && !route.redundancyGroups;
  }
  if (n.kind === 'drain') {
    // A drain step names its provider and circuit; impacts and groups are the maintenance's.
    if (route.impacts || route.redundancyGroups) return false;
    if (route.providers && !route.providers.has(n.drain.providerType.toLowerCase())) return false;
    return !route.circuits || route.circuits.has(n.drain.circuitId.toLowerCase());
  }
  if (n.kind === 'unparsed') {
    if (route.circuits || route.impacts || route.redundancyGroups) return false;
    return !route.providers || (n.notice.providerType !== undefined && route.providers.has(n.notice.providerType.toLowerCase()));
  }
  const m = n.event.maintenance;
  if (route.providers && !route.providers.has(m.providerType.toLowerCase())) return false;
  if (route.circuits && !m.circuits.some((c) => route.circuits?.has(c.providerCircuitId.toLowerCase()))) return false;
  if (route.impacts) {
    if (!m.circuits.some((c) => route.impacts?.has(c.impact)) && !(m.circuits.length === 0 && route.impacts.has('NO-IMPACT'))) return false;
  } else if (!notifyNoImpact && m.circuits.length > 0 && worstImpact(n) === 'NO-IMPACT' && n.type !== 'overlap') {
    // Only when every circuit is known to be unaffected: a maintenance without circuits (a bare
    // cancellation) must still reach the people who were told about it.
    return false;
  }
  if (route.redundancyGroups) {
    const groups = [...m.circuits.map((c) => c.redundancyGroup), ...m.redundancyGroups.map((g) => g.name)];
    if (!groups.some((g) => g !== undefined && route.redundancyGroups?.has(g.toLowerCase()))) return false;
  }
  return true;
}
