// Entry of the <script> bundle: exposes the player class as the global `HlsCdnPlayer`.
import { HlsCdnPlayer } from "./player";

(globalThis as { HlsCdnPlayer?: typeof HlsCdnPlayer }).HlsCdnPlayer = HlsCdnPlayer;
