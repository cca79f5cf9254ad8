/** Calls to the robots API: approvals (decide), jobs (follow, download), the Activité page's lists. */
import { type ApiDeps, type ApiUrl, apiFetch, apiGet, apiRequest } from '../api/client';

export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired';
export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed';

export interface Person {
  id: string;
  email: string;
  display_name: string;
}

export interface Approval {
  id: string;
  robot_id: string;
  robot_name: string;
  robot_version: number;
  /** SHA-256 of the robot's definition the request was made against (null for older requests). */
  robot_digest?: string | null;
  risk: string;
  service: string;
  approvers: string;
  /** Who may approve, by name (empty when unknown: `approvers` describes them). */
  approver_names: string[];
  inputs: Record<string, unknown>;
  digest: string;
  status: ApprovalStatus;
  requester: Person;
  approver: Person | null;
  reason: string | null;
  thread_id: string | null;
  run_id: string | null;
  resumed_run_id: string | null;
  job_id: string | null;
  created_at: string;
  expires_at: string;
  decided_at: string | null;
  may_decide: boolean;
}

export interface JobTransition {
  seq: number;
  status: JobStatus;
  detail: string;
  at: string;
}

export interface Job {
  id: string;
  approval_id: string;
  robot_id: string;
  robot_name: string;
  runner: string;
  status: JobStatus;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  artifacts: string[];
  error: { code: string; detail: string } | null;
  requester: Person;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  transitions: JobTransition[];
}

export interface Activity {
  requests: Approval[];
  to_decide: Approval[];
  jobs: Job[];
}

const id = encodeURIComponent;

export const getActivity = (deps?: ApiDeps) => apiGet<Activity>('/api/activity', deps);
export const getApproval = (approvalId: string, deps?: ApiDeps) => apiGet<Approval>(`/api/approvals/${id(approvalId)}`, deps);
export const listThreadApprovals = (threadId: string, deps?: ApiDeps) =>
  apiGet<Approval[]>(`/api/approvals?thread_id=${id(threadId)}`, deps);
/** What the approval card needs of a robot's definition: how its inputs are described. */
export interface RobotInputs {
  id: string;
  input_schema: { properties?: Record<string, { title?: string; description?: string; enum?: unknown[] }> };
}
export const getRobot = (robotId: string, deps?: ApiDeps) => apiGet<RobotInputs>(`/api/robots/${id(robotId)}`, deps);

/** An input's label from the robot's schema (its title, else its description), else its key. */
export function inputLabel(robot: RobotInputs | undefined, name: string): string {
  const property = robot?.input_schema.properties?.[name];
  const text = property?.title ?? property?.description;
  return text ? text.replace(/[.\s]+$/, '') : name;
}

export const getJob = (jobId: string, deps?: ApiDeps) => apiGet<Job>(`/api/jobs/${id(jobId)}`, deps);

export function decide(approvalId: string, approve: boolean, reason?: string, deps?: ApiDeps): Promise<Approval> {
  return apiRequest<Approval>(
    `/api/approvals/${id(approvalId)}/${approve ? 'approve' : 'reject'}`,
    { method: 'POST', body: JSON.stringify({ reason: reason || null }), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}

export const isTerminal = (status: JobStatus) => status === 'succeeded' || status === 'failed';

/** Download a job's file (artifact, or `log` for the console log) with the user's token. */
export async function download(jobId: string, name: string, deps?: ApiDeps): Promise<void> {
  const path: ApiUrl = name === 'log' ? `/api/jobs/${id(jobId)}/log` : `/api/jobs/${id(jobId)}/artifacts/${name.split('/').map(id).join('/')}`;
  const response = await apiFetch(path, { method: 'GET', headers: { Accept: '*/*' } }, deps);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = name === 'log' ? `journal-${jobId}.txt` : (name.split('/').at(-1) ?? name);
  link.click();
  URL.revokeObjectURL(url);
}

/** A robot definition a tool developer proposed: active once the owner service and the RSSI approved it. */
export interface RobotChange {
  id: string;
  robot_id: string;
  spec: Record<string, unknown>;
  digest: string;
  current_digest: string | null;
  owner_service: string;
  proposed_by: string;
  status: 'pending' | 'active' | 'rejected' | 'superseded';
  owner_approved_by: string | null;
  security_approved_by: string | null;
  rejected_by: string | null;
  reason: string | null;
  created_at: string;
  decided_at: string | null;
  may_approve: boolean;
}

/** The pending robot definitions the user may approve (empty when none, or when the list cannot be read). */
export const listRobotChanges = (deps?: ApiDeps) => apiGet<RobotChange[]>('/api/robot-changes', deps);

export function decideRobotChange(changeId: string, approve: boolean, reason?: string, deps?: ApiDeps) {
  return apiRequest<RobotChange>(
    `/api/robot-changes/${id(changeId)}/${approve ? 'approve' : 'reject'}`,
    { method: 'POST', body: JSON.stringify({ reason: reason || null }), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}
