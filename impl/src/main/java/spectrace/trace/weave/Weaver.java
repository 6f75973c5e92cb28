package spectrace.trace.weave;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.objectweb.asm.AnnotationVisitor;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

/**
 * Build-time weaving of trace emission (run by Maven after compilation, on target/classes).
 *
 * <p>For each method annotated {@code @SpecAction}, it inserts before every return:
 * <pre>{@code
 * if (this.$tracing()) this.$action("Action", "p1,p2", new Object[] {p1, p2});
 * }</pre>
 * where the parameters are those annotated {@code @SpecParam}, plus the node's own id under
 * the name {@code self} gives. With tracing off, the only cost is the test.
 *
 * <p>For each class with fields annotated {@code @SpecVar}, it generates
 * {@code $specVars(VarSink)}, which calls the superclass's, then hands each field to the sink
 * (boxed), with no reflection. It marks woven classes with a static field
 * {@value #MARKER}, and skips them when run again.
 *
 * <p>It fails the build, naming the method, when an action method is static or assigns one of
 * its {@code @SpecParam} parameters (the event would log the new value, not the argument).
 */
public final class Weaver {

  /** The static field that marks a woven class. */
  public static final String MARKER = "$spectrace$woven";

  private static final String SPEC_ACTION = "Lspectrace/core/SpecAction;";
  private static final String SPEC_PARAM = "Lspectrace/core/SpecParam;";
  private static final String SPEC_VAR = "Lspectrace/core/SpecVar;";
  private static final String VAR_SINK = "spectrace/core/VarSink";
  private static final String SPEC_VARS_DESC = "(L" + VAR_SINK + ";)V";

  private Weaver() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println("usage: Weaver <classes-dir>");
      System.exit(2);
    }
    int woven = 0;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(Path.of(args[0]))) {
      files = walk.filter(p -> p.toString().endsWith(".class")).sorted().toList();
    }
    for (Path file : files) {
      byte[] in = Files.readAllBytes(file);
      byte[] out;
      try {
        out = weave(in);
      } catch (WeaveException e) {
        System.err.println("[spectrace weaver] " + file + ": " + e.getMessage());
        System.exit(1);
        return;
      }
      if (out != null) {
        Files.write(file, out);
        woven++;
      }
    }
    System.out.println("[spectrace weaver] wove trace emission into " + woven + " classes");
  }

  /** A class that cannot be woven as written. */
  public static final class WeaveException extends RuntimeException {
    WeaveException(String message) {
      super(message);
    }
  }

  /** The woven class, or null when {@code classFile} has nothing to weave or is woven already. */
  public static byte[] weave(byte[] classFile) {
    Survey survey = new Survey();
    new ClassReader(classFile).accept(survey, ClassReader.SKIP_CODE | ClassReader.SKIP_FRAMES);
    if (survey.woven || (survey.actions.isEmpty() && survey.vars.isEmpty())) {
      return null;
    }
    ClassReader reader = new ClassReader(classFile);
    ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS) {
      @Override
      protected String getCommonSuperClass(String a, String b) {
        try {
          return super.getCommonSuperClass(a, b);
        } catch (RuntimeException | LinkageError e) {
          return "java/lang/Object";
        }
      }
    };
    reader.accept(new Transformer(writer, survey), ClassReader.EXPAND_FRAMES);
    return writer.toByteArray();
  }

  /** An action method, as found by the survey. */
  private static final class ActionMethod {
    final String name;
    final String desc;
    String action;
    String self = "";
    final List<String> paramNames = new ArrayList<>();
    final List<Integer> paramIndexes = new ArrayList<>();
    boolean isStatic;

    ActionMethod(String name, String desc) {
      this.name = name;
      this.desc = desc;
    }
  }

  /** A @SpecVar field. */
  private record VarField(String field, String desc, String var, boolean indexed) {}

  /** First pass: which methods are actions, which fields are spec variables. */
  private static final class Survey extends ClassVisitor {
    String owner;
    String superName;
    boolean woven;
    boolean declaresSpecVars;
    final List<ActionMethod> actions = new ArrayList<>();
    final List<VarField> vars = new ArrayList<>();

    Survey() {
      super(Opcodes.ASM9);
    }

    @Override
    public void visit(int version, int access, String name, String signature, String superName, String[] interfaces) {
      this.owner = name;
      this.superName = superName;
    }

    @Override
    public FieldVisitor visitField(int access, String name, String desc, String signature, Object value) {
      if (name.equals(MARKER)) {
        woven = true;
      }
      return new FieldVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annDesc, boolean visible) {
          if (!annDesc.equals(SPEC_VAR)) {
            return null;
          }
          String[] var = {null};
          boolean[] indexed = {false};
          return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String key, Object v) {
              if (key.equals("value")) {
                var[0] = (String) v;
              } else if (key.equals("indexed")) {
                indexed[0] = (Boolean) v;
              }
            }

            @Override
            public void visitEnd() {
              vars.add(new VarField(name, desc, var[0], indexed[0]));
            }
          };
        }
      };
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
      if (name.equals("$specVars") && desc.equals(SPEC_VARS_DESC)) {
        declaresSpecVars = true;
      }
      ActionMethod m = new ActionMethod(name, desc);
      m.isStatic = (access & Opcodes.ACC_STATIC) != 0;
      Type[] args = Type.getArgumentTypes(desc);
      String[] paramNames = new String[args.length];
      return new MethodVisitor(Opcodes.ASM9) {
        @Override
        public AnnotationVisitor visitAnnotation(String annDesc, boolean visible) {
          if (!annDesc.equals(SPEC_ACTION)) {
            return null;
          }
          return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String key, Object v) {
              if (key.equals("value")) {
                m.action = (String) v;
              } else if (key.equals("self")) {
                m.self = (String) v;
              }
            }
          };
        }

        @Override
        public AnnotationVisitor visitParameterAnnotation(int parameter, String annDesc, boolean visible) {
          if (!annDesc.equals(SPEC_PARAM)) {
            return null;
          }
          return new AnnotationVisitor(Opcodes.ASM9) {
            @Override
            public void visit(String key, Object v) {
              paramNames[parameter] = (String) v;
            }
          };
        }

        @Override
        public void visitEnd() {
          if (m.action == null) {
            return;
          }
          if (m.isStatic) {
            throw new WeaveException(owner + "." + name + ": a @SpecAction method must not be static");
          }
          if (!m.self.isEmpty()) {
            m.paramNames.add(m.self);
            m.paramIndexes.add(-1);
          }
          for (int i = 0; i < args.length; i++) {
            if (paramNames[i] != null) {
              m.paramNames.add(paramNames[i]);
              m.paramIndexes.add(i);
            }
          }
          actions.add(m);
        }
      };
    }

    ActionMethod action(String name, String desc) {
      for (ActionMethod m : actions) {
        if (m.name.equals(name) && m.desc.equals(desc)) {
          return m;
        }
      }
      return null;
    }
  }

  /** Second pass: rewrites the action methods and adds $specVars and the marker. */
  private static final class Transformer extends ClassVisitor {
    private final Survey survey;

    Transformer(ClassVisitor next, Survey survey) {
      super(Opcodes.ASM9, next);
      this.survey = survey;
    }

    @Override
    public MethodVisitor visitMethod(int access, String name, String desc, String signature, String[] exceptions) {
      MethodVisitor mv = super.visitMethod(access, name, desc, signature, exceptions);
      ActionMethod m = survey.action(name, desc);
      return m == null ? mv : new Emitter(mv, survey.owner, m);
    }

    @Override
    public void visitEnd() {
      FieldVisitor marker = super.visitField(Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC | Opcodes.ACC_FINAL
          | Opcodes.ACC_SYNTHETIC, MARKER, "Z", null, 1);
      marker.visitEnd();
      if (!survey.vars.isEmpty()) {
        if (survey.declaresSpecVars) {
          throw new WeaveException(survey.owner + " declares $specVars itself and has @SpecVar fields");
        }
        specVars();
      }
      super.visitEnd();
    }

    private void specVars() {
      MethodVisitor mv = super.visitMethod(Opcodes.ACC_PUBLIC, "$specVars", SPEC_VARS_DESC, null, null);
      mv.visitCode();
      mv.visitVarInsn(Opcodes.ALOAD, 0);
      mv.visitVarInsn(Opcodes.ALOAD, 1);
      mv.visitMethodInsn(Opcodes.INVOKESPECIAL, survey.superName, "$specVars", SPEC_VARS_DESC, false);
      for (VarField f : survey.vars) {
        mv.visitVarInsn(Opcodes.ALOAD, 1);
        mv.visitLdcInsn(f.var());
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitFieldInsn(Opcodes.GETFIELD, survey.owner, f.field(), f.desc());
        box(mv, Type.getType(f.desc()));
        mv.visitMethodInsn(Opcodes.INVOKEINTERFACE, VAR_SINK, f.indexed() ? "indexed" : "whole",
            "(Ljava/lang/String;Ljava/lang/Object;)V", true);
      }
      mv.visitInsn(Opcodes.RETURN);
      mv.visitMaxs(0, 0);
      mv.visitEnd();
    }
  }

  /** Inserts the guarded emission before each return of one action method. */
  private static final class Emitter extends MethodVisitor {
    private final String owner;
    private final ActionMethod m;
    private final Type[] args;
    private final int[] slots;

    Emitter(MethodVisitor next, String owner, ActionMethod m) {
      super(Opcodes.ASM9, next);
      this.owner = owner;
      this.m = m;
      this.args = Type.getArgumentTypes(m.desc);
      this.slots = new int[args.length];
      int slot = 1;
      for (int i = 0; i < args.length; i++) {
        slots[i] = slot;
        slot += args[i].getSize();
      }
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
      boolean store = opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE;
      if (store) {
        for (int i : m.paramIndexes) {
          if (i >= 0 && slots[i] == var) {
            throw new WeaveException(owner + "." + m.name + ": assigns its @SpecParam parameter "
                + m.paramNames.get(m.paramIndexes.indexOf(i)) + "; the trace would log the new value");
          }
        }
      }
      super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitInsn(int opcode) {
      if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
        emit();
      }
      super.visitInsn(opcode);
    }

    private void emit() {
      Label skip = new Label();
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "$tracing", "()Z", false);
      super.visitJumpInsn(Opcodes.IFEQ, skip);
      super.visitVarInsn(Opcodes.ALOAD, 0);
      super.visitLdcInsn(m.action);
      super.visitLdcInsn(String.join(",", m.paramNames));
      pushInt(m.paramIndexes.size());
      super.visitTypeInsn(Opcodes.ANEWARRAY, "java/lang/Object");
      for (int k = 0; k < m.paramIndexes.size(); k++) {
        super.visitInsn(Opcodes.DUP);
        pushInt(k);
        int i = m.paramIndexes.get(k);
        if (i < 0) {
          super.visitVarInsn(Opcodes.ALOAD, 0);
          super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "id", "()Ljava/lang/String;", false);
        } else {
          super.visitVarInsn(args[i].getOpcode(Opcodes.ILOAD), slots[i]);
          box(mv, args[i]);
        }
        super.visitInsn(Opcodes.AASTORE);
      }
      super.visitMethodInsn(Opcodes.INVOKEVIRTUAL, owner, "$action",
          "(Ljava/lang/String;Ljava/lang/String;[Ljava/lang/Object;)V", false);
      super.visitLabel(skip);
    }

    private void pushInt(int n) {
      if (n <= 5) {
        super.visitInsn(Opcodes.ICONST_0 + n);
      } else {
        super.visitIntInsn(Opcodes.BIPUSH, n);
      }
    }
  }

  private static void box(MethodVisitor mv, Type t) {
    String wrapper = switch (t.getSort()) {
      case Type.BOOLEAN -> "java/lang/Boolean";
      case Type.CHAR -> "java/lang/Character";
      case Type.BYTE -> "java/lang/Byte";
      case Type.SHORT -> "java/lang/Short";
      case Type.INT -> "java/lang/Integer";
      case Type.LONG -> "java/lang/Long";
      case Type.FLOAT -> "java/lang/Float";
      case Type.DOUBLE -> "java/lang/Double";
      default -> null;
    };
    if (wrapper != null) {
      mv.visitMethodInsn(Opcodes.INVOKESTATIC, wrapper, "valueOf", "(" + t.getDescriptor() + ")L" + wrapper + ";", false);
    }
  }
}
