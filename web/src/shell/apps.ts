/** The apps of the left app bar, and who may use each (the server enforces the same rules). */
import {
  Alert24Filled,
  Alert24Regular,
  Bot24Filled,
  Bot24Regular,
  BuildingGovernment24Filled,
  BuildingGovernment24Regular,
  Chat24Filled,
  Chat24Regular,
  DocumentBulletList24Filled,
  DocumentBulletList24Regular,
  Mail24Filled,
  Mail24Regular,
  type FluentIcon,
  Settings24Filled,
  Settings24Regular,
  ShieldCheckmark24Filled,
  ShieldCheckmark24Regular,
  Wrench24Filled,
  Wrench24Regular,
  bundleIcon,
} from '@fluentui/react-icons';
import type { Role } from '../roles';

export type AppId =
  | 'chat'
  | 'assistants'
  | 'activite'
  | 'courrier'
  | 'courriers'
  | 'outils'
  | 'audit'
  | 'gouvernance'
  | 'administration';

export interface ShellApp {
  id: AppId;
  /** Route path; the French app names are the URLs users see. */
  path: `/${string}`;
  /** `everyone` means every signed-in user, whatever their roles (an auditor has no `staff` role). */
  allowedRoles: 'everyone' | readonly Role[];
  /** Shows the filled variant when the app is active, as Teams does. */
  icon: FluentIcon;
  /** Other pages opened from this app, where the app bar keeps it highlighted (not `aria-current`). */
  relatedPaths?: readonly `/${string}`[];
}

export const APPS: readonly ShellApp[] = [
  {
    id: 'chat',
    path: '/chat',
    allowedRoles: 'everyone',
    icon: bundleIcon(Chat24Filled, Chat24Regular),
    // A transcript is opened from a citation in a conversation.
    relatedPaths: ['/reunions'],
  },
  {
    id: 'assistants',
    path: '/assistants',
    allowedRoles: 'everyone',
    icon: bundleIcon(Bot24Filled, Bot24Regular),
  },
  {
    id: 'activite',
    path: '/activite',
    allowedRoles: 'everyone',
    icon: bundleIcon(Alert24Filled, Alert24Regular),
    // Automations (mail triggers, schedules) are reached from Activité.
    relatedPaths: ['/automatisations'],
  },
  {
    // Courrier entrant: scanned medical mail, for the medical secretariat (health data).
    id: 'courrier',
    path: '/courrier',
    allowedRoles: ['health_data'],
    icon: bundleIcon(Mail24Filled, Mail24Regular),
  },
  {
    // Courriers en série: letters from the rows of a table (issue 21).
    id: 'courriers',
    path: '/courriers',
    allowedRoles: ['staff'],
    icon: bundleIcon(DocumentBulletList24Filled, DocumentBulletList24Regular),
  },
  {
    id: 'outils',
    path: '/outils',
    allowedRoles: ['tool_developer', 'ai_admin'],
    icon: bundleIcon(Wrench24Filled, Wrench24Regular),
  },
  {
    id: 'audit',
    path: '/audit',
    allowedRoles: ['auditor', 'security'],
    icon: bundleIcon(ShieldCheckmark24Filled, ShieldCheckmark24Regular),
  },
  {
    // The map of AI systems, drift, knowledge quality, shadow AI (issue 23); sheets edited by AI admins.
    id: 'gouvernance',
    path: '/gouvernance',
    allowedRoles: ['ai_admin', 'security', 'auditor', 'direction'],
    icon: bundleIcon(BuildingGovernment24Filled, BuildingGovernment24Regular),
  },
  {
    id: 'administration',
    path: '/administration',
    allowedRoles: ['ai_admin'],
    icon: bundleIcon(Settings24Filled, Settings24Regular),
  },
];

export const HOME_PATH = '/chat';

/** Whether `pathname` is one of the app's related pages (`/reunions/...` for the chat). */
export function isRelatedPath(app: ShellApp, pathname: string): boolean {
  return (app.relatedPaths ?? []).some((path) => pathname === path || pathname.startsWith(`${path}/`));
}

export function canUseApp(app: ShellApp, roles: readonly string[]): boolean {
  return app.allowedRoles === 'everyone' || app.allowedRoles.some((role) => roles.includes(role));
}

export function visibleApps(roles: readonly string[]): ShellApp[] {
  return APPS.filter((app) => canUseApp(app, roles));
}
