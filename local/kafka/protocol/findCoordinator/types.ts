/** FindCoordinator (key 10, once "GroupCoordinator"): which broker coordinates a group. */
export interface FindCoordinatorRequest {
  key: string;
}
export interface FindCoordinatorResponse {
  errorCode: number;
  nodeId: number;
  host: string;
  port: number;
}
