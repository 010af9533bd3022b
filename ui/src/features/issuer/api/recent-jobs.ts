/**
 * Mint jobs started from this browser, so that leaving the page and coming back resumes the job view.
 * Only ids and counts: the job itself is always read from GET /v1/jobs/:id.
 */
const KEY = "dareg.mintJobs";

export interface RecentJob {
  jobId: string;
  collectionId: string;
  recipients: number;
  startedAt: string;
}

export function recentJobs(): RecentJob[] {
  try {
    const v = JSON.parse(localStorage.getItem(KEY) ?? "[]") as RecentJob[];
    return Array.isArray(v) ? v : [];
  } catch {
    return [];
  }
}

export function rememberJob(job: RecentJob): void {
  try {
    localStorage.setItem(KEY, JSON.stringify([job, ...recentJobs().filter((j) => j.jobId !== job.jobId)].slice(0, 20)));
  } catch {
    // not remembered: the job page's URL still resumes it
  }
}
