// Original file: proto/federation.proto


export interface JobFinished {
  'roundsCompleted'?: (number);
}

export interface JobFinished__Output {
  'roundsCompleted': (number);
}
