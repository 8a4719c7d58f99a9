package io.eddy.lambda.runtime.java;

import java.nio.charset.StandardCharsets;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Handle;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * Rewrites a Java function's classes as they are defined: {@code System.getenv(String)} and
 * {@code System.getenv()} (calls and method references) go to {@link FunctionSystem}, whose copy in
 * the function's class loader holds that function's environment; {@code System.exit},
 * {@code Runtime.exit} and {@code Runtime.halt} end only the function. Classes that mention none of
 * these are returned untouched without being parsed.
 */
final class EnvironmentRewriter {

    static final String TARGET = FunctionSystem.class.getName().replace('.', '/');
    private static final byte[][] MARKERS = {bytes("getenv"), bytes("exit"), bytes("halt")};

    private EnvironmentRewriter() {
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] rewrite(byte[] classFile) {
        if (!mentionsAny(classFile)) return classFile;
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassWriter writer = new ClassWriter(reader, 0);
            Redirect redirect = new Redirect(writer);
            reader.accept(redirect, 0);
            return redirect.changed ? writer.toByteArray() : classFile;
        } catch (RuntimeException e) {
            // a class file newer than ASM reads is defined as it is
            return classFile;
        }
    }

    private static boolean mentionsAny(byte[] data) {
        for (byte[] marker : MARKERS) {
            outer:
            for (int i = 0; i <= data.length - marker.length; i++) {
                for (int j = 0; j < marker.length; j++) {
                    if (data[i + j] != marker[j]) continue outer;
                }
                return true;
            }
        }
        return false;
    }

    private static final class Redirect extends ClassVisitor {
        boolean changed;

        Redirect(ClassVisitor next) {
            super(Opcodes.ASM9, next);
        }

        @Override
        public MethodVisitor visitMethod(int access, String name, String descriptor, String signature, String[] exceptions) {
            return new MethodVisitor(Opcodes.ASM9, super.visitMethod(access, name, descriptor, signature, exceptions)) {
                @Override
                public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean isInterface) {
                    if (opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/System")
                            && (method.equals("getenv") || method.equals("exit") && desc.equals("(I)V"))) {
                        changed = true;
                        super.visitMethodInsn(opcode, TARGET, method, desc, false);
                    } else if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals("java/lang/Runtime") && desc.equals("(I)V")
                            && (method.equals("exit") || method.equals("halt"))) {
                        changed = true;
                        super.visitMethodInsn(Opcodes.INVOKESTATIC, TARGET, method, "(Ljava/lang/Runtime;I)V", false);
                    } else {
                        super.visitMethodInsn(opcode, owner, method, desc, isInterface);
                    }
                }

                @Override
                public void visitInvokeDynamicInsn(String name, String desc, Handle bootstrap, Object... arguments) {
                    Object[] mapped = arguments.clone();
                    for (int i = 0; i < mapped.length; i++) mapped[i] = redirect(mapped[i]);
                    super.visitInvokeDynamicInsn(name, desc, bootstrap, mapped);
                }

                @Override
                public void visitLdcInsn(Object value) {
                    super.visitLdcInsn(redirect(value));
                }
            };
        }

        /** A method handle to System.getenv or System.exit (a method reference) points at FunctionSystem instead. */
        private Object redirect(Object constant) {
            if (constant instanceof Handle h && h.getTag() == Opcodes.H_INVOKESTATIC && h.getOwner().equals("java/lang/System")
                    && (h.getName().equals("getenv") || h.getName().equals("exit") && h.getDesc().equals("(I)V"))) {
                changed = true;
                return new Handle(Opcodes.H_INVOKESTATIC, TARGET, h.getName(), h.getDesc(), false);
            }
            return constant;
        }
    }
}
