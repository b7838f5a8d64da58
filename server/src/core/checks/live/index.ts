// Drift checks: what the files say against what the connected clusters report. They read the live
// snapshot from the workspace and report nothing without one.
export { memberNotLive } from './member-not-live';
export { memberUndescribed } from './member-undescribed';
export { sentinelMasterMoved } from './sentinel-master-moved';
export { splitBrain } from './split-brain';
export { syncStandbyMissing } from './sync-standby-missing';
export { writeRouteReplica } from './write-route-replica';
