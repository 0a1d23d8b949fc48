import { ProviderRegistry } from './core/registry';
import type { Parser, ProcessorDefinition, ProviderDefinition } from './core/types';
import { emailDateParser } from './parsers/common';
import { icalParser } from './parsers/ical';
import { appleHtmlParser } from './parsers/apple';
import { aquacommsHtmlParser } from './parsers/aquacomms';
import { attHtmlParser } from './parsers/att';
import { awsHtmlParser } from './parsers/aws';
import { bsoHtmlParser } from './parsers/bso';
import { cogentHtmlParser } from './parsers/cogent';
import { coltHtmlParser } from './parsers/colt';
import { crowncastleHtmlParser } from './parsers/crowncastle';
import { equinixHtmlParser } from './parsers/equinix';
import { globalcloudxchangeHtmlParser } from './parsers/globalcloudxchange';
import { googleHtmlParser } from './parsers/google';
import { gttHtmlParser } from './parsers/gtt';
import { hgcHtmlParser } from './parsers/hgc';
import { lumenHtmlParser } from './parsers/lumen';
import { megaportHtmlParser } from './parsers/megaport';
import { momentumHtmlParser } from './parsers/momentum';
import { netflixHtmlParser } from './parsers/netflix';
import { pccwHtmlParser } from './parsers/pccw';
import { seabornHtmlParser } from './parsers/seaborn';
import { sparkleHtmlParser } from './parsers/sparkle';
import { tataHtmlParser } from './parsers/tata';
import { telstraHtmlParser } from './parsers/telstra';
import { turkcellHtmlParser } from './parsers/turkcell';
import { verizonHtmlParser } from './parsers/verizon';
import { windstreamHtmlParser } from './parsers/windstream';
import { zayoHtmlParser } from './parsers/zayo';

const simple = (...parsers: Parser[]): ProcessorDefinition => ({ kind: 'simple', parsers });
const combined = (...parsers: Parser[]): ProcessorDefinition => ({ kind: 'combined', parsers });

/**
 * Every built-in provider, as data: type, name, sender addresses/domains, default
 * organizer, and the processors tried in order (circuit-maintenance-parser's providers).
 * Operators edit these through the API; their edits arrive as overrides (ProviderRegistry).
 */
export const BUILT_IN_PROVIDERS: readonly ProviderDefinition[] = [
  {
    type: 'arelion',
    name: 'Arelion (Telia Carrier)',
    senders: ['arelion.com','teliacompany.com'],
    defaultOrganizer: 'support@arelion.com',
    processors: [simple(icalParser)],
  },
  {
    type: 'eunetworks',
    name: 'euNetworks',
    senders: ['eunetworks.com'],
    defaultOrganizer: 'noc@eunetworks.com',
    processors: [simple(icalParser)],
  },
  {
    type: 'packetfabric',
    name: 'PacketFabric',
    senders: ['packetfabric.com'],
    defaultOrganizer: 'support@packetfabric.com',
    processors: [simple(icalParser)],
  },
  {
    type: 'ntt',
    name: 'NTT',
    senders: ['ntt.net'],
    defaultOrganizer: 'noc@us.ntt.net',
    processors: [simple(icalParser)],
  },
  {
    type: 'genericprovider',
    name: 'Generic BCOP',
    senders: [],
    defaultOrganizer: 'unknown',
    processors: [simple(icalParser)],
  },
  {
    type: 'apple',
    name: 'Apple',
    senders: ['group.apple.com'],
    defaultOrganizer: 'peering-noc@group.apple.com',
    processors: [combined(emailDateParser, appleHtmlParser)],
  },
  {
    type: 'aquacomms',
    name: 'AquaComms',
    senders: ['aquacomms.com'],
    defaultOrganizer: 'tickets@aquacomms.com',
    processors: [combined(emailDateParser, aquacommsHtmlParser)],
  },
  {
    type: 'att',
    name: 'AT&T',
    senders: ['att.com'],
    defaultOrganizer: 'g31654@att.com',
    processors: [combined(emailDateParser, attHtmlParser)],
  },
  {
    type: 'aws',
    name: 'AWS',
    senders: ['aws-account-notifications@amazon.com','amazonaws.com'],
    defaultOrganizer: 'aws-account-notifications@amazon.com',
    processors: [combined(emailDateParser, awsHtmlParser)],
  },
  {
    type: 'bso',
    name: 'BSO',
    senders: ['bso.co'],
    defaultOrganizer: 'network-servicedesk@bso.co',
    processors: [combined(emailDateParser, bsoHtmlParser)],
  },
  {
    type: 'cogent',
    name: 'Cogent',
    senders: ['cogentco.com'],
    defaultOrganizer: 'support@cogentco.com',
    processors: [combined(emailDateParser, cogentHtmlParser)],
  },
  {
    type: 'colt',
    name: 'Colt',
    senders: ['colt.net'],
    defaultOrganizer: 'PlannedWorks@colt.net',
    processors: [combined(emailDateParser, coltHtmlParser)],
  },
  {
    type: 'crowncastle',
    name: 'Crown Castle',
    senders: ['crowncastle.com'],
    defaultOrganizer: 'fiberchangemgmt@crowncastle.com',
    processors: [combined(emailDateParser, crowncastleHtmlParser)],
  },
  {
    type: 'equinix',
    name: 'Equinix',
    senders: ['equinix.com'],
    defaultOrganizer: 'servicedesk@equinix.com',
    processors: [combined(emailDateParser, equinixHtmlParser)],
  },
  {
    type: 'globalcloudxchange',
    name: 'GlobalCloudXchange',
    senders: ['globalcloudxchange.com'],
    defaultOrganizer: 'Gnoc@globalcloudxchange.com',
    processors: [combined(emailDateParser, globalcloudxchangeHtmlParser)],
  },
  {
    type: 'google',
    name: 'Google',
    senders: ['noc-noreply@google.com'],
    defaultOrganizer: 'noc-noreply@google.com',
    processors: [combined(emailDateParser, googleHtmlParser)],
  },
  {
    type: 'gtt',
    name: 'GTT / EXA',
    senders: ['exainfra.net','gtt.net'],
    defaultOrganizer: 'InfraCo.CM@exainfra.net',
    processors: [combined(emailDateParser, gttHtmlParser)],
  },
  {
    type: 'hgc',
    name: 'HGC',
    senders: ['hgc.com.hk'],
    defaultOrganizer: 'HGCINOCPW@hgc.com.hk',
    processors: [combined(emailDateParser, hgcHtmlParser)],
  },
  {
    type: 'lumen',
    name: 'Lumen',
    senders: ['lumen.com','centurylink.com'],
    defaultOrganizer: 'smc@lumen.com',
    processors: [combined(emailDateParser, lumenHtmlParser)],
  },
  {
    type: 'megaport',
    name: 'Megaport',
    senders: ['megaport.com'],
    defaultOrganizer: 'support@megaport.com',
    processors: [combined(emailDateParser, megaportHtmlParser)],
  },
  {
    type: 'momentum',
    name: 'Momentum',
    senders: ['momentumtelecom.com'],
    defaultOrganizer: 'maintenance@momentumtelecom.com',
    processors: [combined(emailDateParser, momentumHtmlParser)],
  },
  {
    type: 'netflix',
    name: 'Netflix',
    senders: ['netflix.com'],
    defaultOrganizer: 'cdnetops@netflix.com',
    processors: [combined(emailDateParser, netflixHtmlParser)],
  },
  {
    type: 'pccw',
    name: 'PCCW Global',
    senders: ['pccwglobal.com'],
    defaultOrganizer: 'mailto:gsoc-planned-event@pccwglobal.com',
    processors: [combined(emailDateParser, pccwHtmlParser)],
  },
  {
    type: 'seaborn',
    name: 'Seaborn',
    senders: ['seabornnetworks.com'],
    defaultOrganizer: 'inoc@superonline.net',
    processors: [combined(emailDateParser, seabornHtmlParser)],
  },
  {
    type: 'sparkle',
    name: 'Sparkle',
    senders: ['tisparkle.com'],
    defaultOrganizer: 'TISAmericaNOC@tisparkle.com',
    processors: [combined(emailDateParser, sparkleHtmlParser)],
  },
  {
    type: 'tata',
    name: 'Tata Communications',
    senders: ['tatacommunications.com'],
    defaultOrganizer: 'planned.activity@tatacommunications.com',
    processors: [combined(emailDateParser, tataHtmlParser)],
  },
  {
    type: 'telstra',
    name: 'Telstra',
    senders: ['team.telstra.com','telstra.com'],
    defaultOrganizer: 'gpen@team.telstra.com',
    processors: [combined(emailDateParser, telstraHtmlParser)],
  },
  {
    type: 'turkcell',
    name: 'Turkcell',
    senders: ['superonline.net'],
    defaultOrganizer: 'inoc@superonline.net',
    processors: [combined(emailDateParser, turkcellHtmlParser)],
  },
  {
    type: 'verizon',
    name: 'Verizon',
    senders: ['verizonbusiness.com','verizon.com'],
    defaultOrganizer: 'NO-REPLY-sched-maint@EMEA.verizonbusiness.com',
    processors: [combined(emailDateParser, verizonHtmlParser)],
  },
  {
    type: 'windstream',
    name: 'Windstream',
    senders: ['windstream.com'],
    defaultOrganizer: 'wci.maintenance.notifications@windstream.com',
    processors: [combined(emailDateParser, windstreamHtmlParser)],
  },
  {
    type: 'zayo',
    name: 'Zayo',
    senders: ['zayo.com'],
    defaultOrganizer: 'mr@zayo.com',
    processors: [combined(emailDateParser, zayoHtmlParser)],
  },
];

/** The registry of built-in providers, without operator overrides. */
export const builtInRegistry = (): ProviderRegistry => new ProviderRegistry(BUILT_IN_PROVIDERS);
