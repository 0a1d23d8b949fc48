import { ProviderRegistry } from './core/registry';
import type { Parser, ProcessorDefinition, ProviderDefinition } from './core/types';
import { emailDateParser } from './parsers/common';
import { icalParser } from './parsers/ical';
import { appleSubjectParser, appleTextParser } from './parsers/apple';
import { aquacommsHtmlParser, aquacommsSubjectParser } from './parsers/aquacomms';
import { attHtmlParser, attXlsxParser } from './parsers/att';
import { awsBodyParser, awsSubjectParser } from './parsers/aws';
import { bsoHtmlParser } from './parsers/bso';
import { cogentHtmlParser, cogentSubjectParser, cogentTextParser } from './parsers/cogent';
import { coltCsvParser, coltSubjectParser } from './parsers/colt';
import { crowncastleHtmlParser } from './parsers/crowncastle';
import { equinixHtmlParser, equinixSubjectParser } from './parsers/equinix';
import { globalcloudxchangeHtmlParser, globalcloudxchangeSubjectParser } from './parsers/globalcloudxchange';
import { googleHtmlParser } from './parsers/google';
import { gttHtmlParser } from './parsers/gtt';
import { hgcHtmlParser, hgcSubjectParser } from './parsers/hgc';
import { lumenHtmlParser } from './parsers/lumen';
import { megaportHtmlParser } from './parsers/megaport';
import { momentumHtmlParser, momentumSubjectParser } from './parsers/momentum';
import { netflixTextParser } from './parsers/netflix';
import { pccwHtmlParser, pccwSubjectParser } from './parsers/pccw';
import { seabornHtmlParser, seabornSubjectParser } from './parsers/seaborn';
import { sparkleHtmlParser } from './parsers/sparkle';
import { tataHtmlParser, tataSubjectParser } from './parsers/tata';
import { telstraHtmlParser } from './parsers/telstra';
import { turkcellHtmlParser } from './parsers/turkcell';
import { verizonHtmlParser } from './parsers/verizon';
import { windstreamHtmlParser } from './parsers/windstream';
import { zayoHtmlParser, zayoSubjectParser } from './parsers/zayo';

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
    // No date parser: Apple's notices are stamped with their window start (appleTextParser).
    processors: [combined(appleTextParser, appleSubjectParser)],
  },
  {
    type: 'aquacomms',
    name: 'AquaComms',
    senders: ['aquacomms.com'],
    defaultOrganizer: 'tickets@aquacomms.com',
    processors: [combined(emailDateParser, aquacommsHtmlParser, aquacommsSubjectParser)],
  },
  {
    type: 'att',
    name: 'AT&T',
    senders: ['att.com'],
    defaultOrganizer: 'g31654@att.com',
    processors: [combined(emailDateParser, attHtmlParser, attXlsxParser)],
  },
  {
    type: 'aws',
    name: 'AWS',
    senders: ['aws-account-notifications@amazon.com', 'amazonaws.com', 'health@aws.com'],
    defaultOrganizer: 'aws-account-notifications@amazon.com',
    processors: [combined(emailDateParser, awsBodyParser, awsSubjectParser)],
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
    processors: [
      combined(emailDateParser, cogentSubjectParser, cogentHtmlParser),
      combined(emailDateParser, cogentSubjectParser, cogentTextParser),
    ],
  },
  {
    type: 'colt',
    name: 'Colt',
    senders: ['colt.net'],
    defaultOrganizer: 'PlannedWorks@colt.net',
    processors: [combined(emailDateParser, coltCsvParser, coltSubjectParser)],
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
    // Equinix sends other mail too (orders, portal news); its maintenance notices say so in the subject.
    include: { 'email-header-subject': [/network maintenance/i] },
    processors: [combined(equinixHtmlParser, equinixSubjectParser, emailDateParser)],
  },
  {
    type: 'globalcloudxchange',
    name: 'GlobalCloudXchange',
    senders: ['globalcloudxchange.com'],
    defaultOrganizer: 'Gnoc@globalcloudxchange.com',
    processors: [combined(emailDateParser, globalcloudxchangeSubjectParser, globalcloudxchangeHtmlParser)],
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
    processors: [simple(icalParser), combined(emailDateParser, gttHtmlParser)],
  },
  {
    type: 'hgc',
    name: 'HGC',
    senders: ['hgc.com.hk'],
    defaultOrganizer: 'HGCINOCPW@hgc.com.hk',
    processors: [combined(emailDateParser, hgcHtmlParser, hgcSubjectParser)],
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
    processors: [combined(emailDateParser, momentumSubjectParser, momentumHtmlParser)],
  },
  {
    type: 'netflix',
    name: 'Netflix',
    senders: ['netflix.com'],
    defaultOrganizer: 'cdnetops@netflix.com',
    processors: [combined(emailDateParser, netflixTextParser)],
  },
  {
    type: 'pccw',
    name: 'PCCW Global',
    senders: ['pccwglobal.com'],
    defaultOrganizer: 'mailto:gsoc-planned-event@pccwglobal.com',
    processors: [simple(icalParser), combined(pccwHtmlParser, pccwSubjectParser, emailDateParser)],
  },
  {
    type: 'seaborn',
    name: 'Seaborn',
    senders: ['seabornnetworks.com'],
    defaultOrganizer: 'inoc@superonline.net',
    // Subject first: the body's "Seaborn Ticket number" wins over the subject's TT# reference.
    processors: [combined(emailDateParser, seabornSubjectParser, seabornHtmlParser)],
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
    // Tata's desk also mails fault tickets and surveys; only planned work notices are maintenances.
    include: { 'email-header-subject': [/Planned Work Notification/i] },
    processors: [combined(tataHtmlParser, tataSubjectParser, emailDateParser)],
  },
  {
    type: 'telstra',
    name: 'Telstra',
    senders: ['team.telstra.com','telstra.com'],
    defaultOrganizer: 'gpen@team.telstra.com',
    processors: [simple(icalParser), combined(emailDateParser, telstraHtmlParser)],
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
    // Zayo's list also carries non-maintenance mail; its notices always name the ticket.
    include: { html: [/Maintenance Ticket #/i] },
    processors: [combined(emailDateParser, zayoSubjectParser, zayoHtmlParser)],
  },
];

/** The registry of built-in providers, without operator overrides. */
export const builtInRegistry = (): ProviderRegistry => new ProviderRegistry(BUILT_IN_PROVIDERS);
