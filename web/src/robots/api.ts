/** Calls to the robots API: approvals (decide), jobs (follow, download), the Activité page's lists. */
import { type ApiDeps, type ApiUrl, apiFetch, apiGet, apiRequest } from '../api/client';
import type * as schema from '../api/schema';
import type { JobStatus } from '../api/schema';
import type { Sent } from '../api/sent';

export type { ApprovalStatus, JobStatus } from '../api/schema';

export type Person = Sent<schema.Person>;
/** A robot request; `robot_digest` is the SHA-256 of the robot's definition it was made against (null
 * for older requests), `approver_names` who may approve, by name (empty when unknown). */
export type Approval = Sent<schema.Approval>;
export type JobTransition = Sent<schema.JobTransition>;
/** A robot's job (the server documents its `error` as a free-form object: here, its shape). */
export type Job = Omit<Sent<schema.Job>, 'error'> & { error: { code: string; detail: string } | null };
export type Activity = Omit<Sent<schema.Activity>, 'jobs'> & { jobs: Job[] };

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
export type RobotChange = Sent<schema.RobotChange>;

/** The pending robot definitions the user may approve (empty when none, or when the list cannot be read). */
export const listRobotChanges = (deps?: ApiDeps) => apiGet<RobotChange[]>('/api/robot-changes', deps);

export function decideRobotChange(changeId: string, approve: boolean, reason?: string, deps?: ApiDeps) {
  return apiRequest<RobotChange>(
    `/api/robot-changes/${id(changeId)}/${approve ? 'approve' : 'reject'}`,
    { method: 'POST', body: JSON.stringify({ reason: reason || null }), headers: { 'Content-Type': 'application/json' } },
    deps,
  );
}
