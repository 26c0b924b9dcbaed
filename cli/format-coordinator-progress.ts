import type { CoordinatorStatus, ParticipantActivity } from '../coordinator/coordinator.js';

/** One line of the coordinator's progress: job state, training rounds done, what each node is doing. */
export function formatCoordinatorProgress(input: {
  readonly status: CoordinatorStatus;
  readonly trainingRoundsCompleted: number;
  readonly roundsPlanned: number;
  readonly participants: readonly ParticipantActivity[];
}): string {
  const nodes = input.participants
    .map((participant) => {
      const upload = participant.state === 'uploading' && participant.upload ? ` ${participant.upload.chunksReceived}/${participant.upload.chunkCount}` : '';
      return `${participant.id} ${participant.state}${upload}`;
    })
    .join(', ');
  return `${input.status} · ${input.trainingRoundsCompleted}/${input.roundsPlanned} training rounds · ${nodes}`;
}
