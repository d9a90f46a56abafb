// A sigma node program that draws the peers' glyphs (peer-platforms.md §3.2) from one point per node:
// ● feature, ◆ error, ■ embedding / logit, ▲ other, with an optional dark ring (pinned nodes). The shape is
// a per-node attribute, so every kind is drawn by one program in one draw call, and picking (hover, click)
// follows the glyph's outline rather than a bounding square. Modelled on sigma's NodePointProgram.
import type { NodeDisplayData, RenderParams } from "sigma/types";
import { NodeProgram, type ProgramInfo } from "sigma/rendering";
import { floatColor } from "sigma/utils";
import { GLYPH, type TGlyph } from "./glyphs";

/** Extra display attributes this program reads (set by the node reducer). */
export interface TGlyphDisplayData {
  readonly glyph?: TGlyph;
  readonly isRinged?: boolean;
}

const VERTEX_SHADER = /* glsl */ `
attribute vec4 a_id;
attribute vec4 a_color;
attribute vec2 a_position;
attribute float a_size;
attribute float a_shape;

uniform float u_sizeRatio;
uniform float u_pixelRatio;
uniform mat3 u_matrix;

varying vec4 v_color;
varying float v_border;
varying float v_shape;

const float bias = 255.0 / 254.0;

void main() {
  gl_Position = vec4((u_matrix * vec3(a_position, 1)).xy, 0, 1);
  gl_PointSize = a_size / u_sizeRatio * u_pixelRatio * 2.0;
  v_border = (0.5 / a_size) * u_sizeRatio;
  v_shape = a_shape;
  #ifdef PICKING_MODE
  v_color = a_id;
  #else
  v_color = a_color;
  #endif
  v_color.a *= bias;
}
`;

// d: distance inside the outline (0 on it, growing inwards), in units of the point's size.
const FRAGMENT_SHADER = /* glsl */ `
precision mediump float;

varying vec4 v_color;
varying float v_border;
varying float v_shape;

const vec4 transparent = vec4(0.0, 0.0, 0.0, 0.0);
const vec4 ringColor = vec4(0.07, 0.07, 0.09, 1.0);

void main(void) {
  vec2 m = gl_PointCoord - vec2(0.5, 0.5);
  float shape = mod(floor(v_shape + 0.5), 4.0);
  float isRinged = step(3.5, v_shape);
  float d;
  if (shape < 0.5) {
    d = 0.5 - length(m);
  } else if (shape < 1.5) {
    d = (0.5 - abs(m.x) - abs(m.y)) * 0.7071;
  } else if (shape < 2.5) {
    d = 0.4 - max(abs(m.x), abs(m.y));
  } else {
    // Upward triangle: below the two slanted edges and above the base (gl_PointCoord.y grows downwards).
    float base = 0.4 - m.y;
    float slant = (0.447 - abs(m.x) * 0.894 + m.y * 0.447) * 0.9;
    d = min(base, slant);
  }

  #ifdef PICKING_MODE
  gl_FragColor = d > 0.0 ? v_color : transparent;
  #else
  vec4 color = v_color;
  if (isRinged > 0.5 && d < 0.16) color = ringColor;
  float t = clamp(d / v_border, 0.0, 1.0);
  gl_FragColor = mix(transparent, color, t);
  #endif
}
`;

// WebGL enums as numbers: this module must not touch WebGLRenderingContext when it is loaded.
const UNSIGNED_BYTE = 0x1401;
const FLOAT = 0x1406;
const POINTS = 0x0000;
const UNIFORMS = ["u_sizeRatio", "u_pixelRatio", "u_matrix"] as const;

export class NodeGlyphProgram extends NodeProgram<(typeof UNIFORMS)[number]> {
  getDefinition() {
    return {
      VERTICES: 1,
      VERTEX_SHADER_SOURCE: VERTEX_SHADER,
      FRAGMENT_SHADER_SOURCE: FRAGMENT_SHADER,
      METHOD: POINTS,
      UNIFORMS,
      ATTRIBUTES: [
        { name: "a_position", size: 2, type: FLOAT },
        { name: "a_size", size: 1, type: FLOAT },
        { name: "a_color", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_id", size: 4, type: UNSIGNED_BYTE, normalized: true },
        { name: "a_shape", size: 1, type: FLOAT },
      ],
    };
  }

  processVisibleItem(nodeIndex: number, startIndex: number, data: NodeDisplayData & TGlyphDisplayData): void {
    const array = this.array;
    array[startIndex++] = data.x;
    array[startIndex++] = data.y;
    array[startIndex++] = data.size;
    array[startIndex++] = floatColor(data.color);
    array[startIndex++] = nodeIndex;
    array[startIndex++] = (data.glyph ?? GLYPH.circle) + (data.isRinged ? 4 : 0);
  }

  setUniforms({ sizeRatio, pixelRatio, matrix }: RenderParams, { gl, uniformLocations }: ProgramInfo): void {
    gl.uniform1f(uniformLocations.u_pixelRatio!, pixelRatio);
    gl.uniform1f(uniformLocations.u_sizeRatio!, sizeRatio);
    gl.uniformMatrix3fv(uniformLocations.u_matrix!, false, matrix);
  }
}
