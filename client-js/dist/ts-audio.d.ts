/**
 * Whether an MPEG-TS segment lacks audio that its program declares: its PMT lists an audio stream, but no PES packet of
 * that stream starts in the segment (an encoder's first segment often ends before its first audio packet is written).
 * False when the data is not MPEG-TS, has no PAT/PMT, or declares no audio.
 */
export declare function lacksDeclaredAudio(data: Uint8Array): boolean;
